using System.Globalization;
using System.Net;

namespace Fireline.Linux.Conntrack;

/// <summary>
/// One direction of a tracked connection: addresses, protocol, and the protocol's own keys (ports for
/// TCP/UDP/SCTP, id/type/code for ICMP). Keys the kernel did not report stay null.
/// </summary>
public sealed record ConntrackTuple
{
    public required IPAddress Source { get; init; }

    public required IPAddress Destination { get; init; }

    /// <summary>The IP protocol number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...</summary>
    public byte Protocol { get; init; }

    public ushort? SourcePort { get; init; }

    public ushort? DestinationPort { get; init; }

    public ushort? IcmpId { get; init; }

    public byte? IcmpType { get; init; }

    public byte? IcmpCode { get; init; }

    public bool Involves(IPAddress address) => Source.Equals(address) || Destination.Equals(address);

    /// <summary>As conntrack's command line selects it: <c>-p 6 -s A -d B --sport 1 --dport 2</c>.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"-p {Protocol} -s {Source} -d {Destination}") +
           (SourcePort is { } sport ? string.Create(CultureInfo.InvariantCulture, $" --sport {sport}") : "") +
           (DestinationPort is { } dport ? string.Create(CultureInfo.InvariantCulture, $" --dport {dport}") : "") +
           (IcmpType is { } type ? string.Create(CultureInfo.InvariantCulture, $" --icmp-type {type}") : "") +
           (IcmpCode is { } code ? string.Create(CultureInfo.InvariantCulture, $" --icmp-code {code}") : "") +
           (IcmpId is { } id ? string.Create(CultureInfo.InvariantCulture, $" --icmp-id {id}") : "");
}
