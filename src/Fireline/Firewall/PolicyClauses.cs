using System.Net;
using System.Net.Sockets;
using Fireline.Linux.Nftables;
using Fireline.Linux.Nftables.Clauses;
using Fireline.Policy;

namespace Fireline.Firewall;

/// <summary>
/// What a policy rule matches, as clauses: source and destination prefixes, protocol, ports. <c>icmp</c> means
/// ICMP over IPv4 and ICMPv6 over IPv6 (on a dual-stack network both, unless an address of the rule names the
/// family). A rule whose source and destination are of different families matches nothing.
/// </summary>
internal static class PolicyClauses
{
    /// <summary>The alternatives a rule matches (one, or one per family for <c>icmp</c>); each a list of clauses.</summary>
    public static IReadOnlyList<IReadOnlyList<NftClause>> Matches(PolicyRule rule)
    {
        var source = Prefix(rule.Source);
        var destination = Prefix(rule.Destination);
        var family = source?.BaseAddress.AddressFamily ?? destination?.BaseAddress.AddressFamily;
        if (source is { } s && destination is { } d && s.BaseAddress.AddressFamily != d.BaseAddress.AddressFamily)
        {
            return [];
        }

        var addresses = new List<NftClause>();
        if (source is { } from)
        {
            addresses.Add(new AddressMatch(AddressField.Of(from.BaseAddress.AddressFamily, AddressEnd.Source), from, NftFamily.Inet));
        }

        if (destination is { } to)
        {
            addresses.Add(new AddressMatch(AddressField.Of(to.BaseAddress.AddressFamily, AddressEnd.Destination), to, NftFamily.Inet));
        }

        return rule.Protocol switch
        {
            null => [addresses],
            "icmp" => family switch
            {
                AddressFamily.InterNetwork => [[.. addresses, new ProtocolMatch(ProtocolMatch.Icmp)]],
                AddressFamily.InterNetworkV6 => [[.. addresses, new ProtocolMatch(ProtocolMatch.Icmpv6)]],
                _ => [[.. addresses, new ProtocolMatch(ProtocolMatch.Icmp)], [.. addresses, new ProtocolMatch(ProtocolMatch.Icmpv6)]],
            },
            var protocol => [[.. addresses, Transport(protocol == "tcp" ? ProtocolMatch.Tcp : ProtocolMatch.Udp, rule)]],
        };
    }

    /// <summary>True when the rule names its destination (a prefix other than everything): an explicit permission.</summary>
    public static bool NamesDestination(PolicyRule rule) => Prefix(rule.Destination) is not null;

    /// <summary>True when the rule's destination lies inside <paramref name="range"/>.</summary>
    public static bool DestinationWithin(PolicyRule rule, IPNetwork range)
        => Prefix(rule.Destination) is { } destination && destination.PrefixLength >= range.PrefixLength && range.Contains(destination.BaseAddress);

    private static NftClause Transport(byte protocol, PolicyRule rule)
        => rule.PortFrom is { } from ? new PortMatch(protocol, PortEnd.Destination, (ushort)from, (ushort)(rule.PortTo ?? from)) : new ProtocolMatch(protocol);

    /// <summary>A CIDR of the rule, or null for none or for everything of a family (0.0.0.0/0, ::/0: no constraint at all).</summary>
    private static IPNetwork? Prefix(string? cidr)
        => cidr is null || cidr is "0.0.0.0/0" or "::/0" ? null : IPNetwork.Parse(cidr);
}
