using System.Net;
using System.Net.Sockets;

namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// An IP address on a link, as given to <see cref="Addresses.Add"/> or read back by <see cref="Addresses.List"/>
/// (<c>ip addr show</c>).
/// </summary>
public sealed record Address
{
    public Address(int linkIndex, IPAddress local, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        InetAddresses.RequirePrefixLength(prefixLength, local.AddressFamily);
        LinkIndex = linkIndex;
        Local = local;
        PrefixLength = prefixLength;
    }

    public int LinkIndex { get; }

    /// <summary>The address itself (IFA_LOCAL).</summary>
    public IPAddress Local { get; }

    public int PrefixLength { get; }

    public AddressFamily Family => Local.AddressFamily;

    /// <summary>IPv4 only: the broadcast address (IFA_BROADCAST); none when null.</summary>
    public IPAddress? Broadcast { get; init; }

    /// <summary>Flags to create the address with (<see cref="AddressFlags.NoDad"/>, <see cref="AddressFlags.NoPrefixRoute"/>), or that the kernel reports.</summary>
    public AddressFlags Flags { get; init; }

    public RouteScope Scope { get; init; }

    /// <summary>IPv4 only: the label (IFA_LABEL); the kernel uses the link's name when none is given.</summary>
    public string? Label { get; init; }

    /// <summary>The address and prefix as iproute2 writes them: <c>10.100.0.1/16</c>.</summary>
    public string Cidr => $"{Local}/{PrefixLength}";
}
