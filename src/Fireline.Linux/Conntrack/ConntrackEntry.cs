using System.Net;
using System.Net.Sockets;

namespace Fireline.Linux.Conntrack;

/// <summary>A tracked connection as the kernel reports it (<c>conntrack -L</c>).</summary>
public sealed record ConntrackEntry
{
    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public required AddressFamily Family { get; init; }

    /// <summary>The tuple of the packet that created the entry.</summary>
    public required ConntrackTuple Original { get; init; }

    /// <summary>The tuple replies carry; differs from the swapped original when NAT rewrote the connection.</summary>
    public required ConntrackTuple Reply { get; init; }

    /// <summary>CTA_ID, the entry's id for its lifetime.</summary>
    public uint Id { get; init; }

    /// <summary>The conntrack zone (0 unless something put the connection in another).</summary>
    public ushort Zone { get; init; }

    /// <summary>IPS_* status bits (confirmed, assured, seen reply, NAT done, ...).</summary>
    public uint Status { get; init; }

    public uint Mark { get; init; }

    /// <summary>True when the address is the source or destination of either tuple.</summary>
    public bool Involves(IPAddress address) => Original.Involves(address) || Reply.Involves(address);
}
