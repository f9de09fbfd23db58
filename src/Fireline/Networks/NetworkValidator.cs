using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Host;
using Fireline.Kernel;
using Fireline.State;

namespace Fireline.Networks;

/// <summary>
/// The one place that decides whether networks are valid, whoever declares them: a networks file and the
/// configuration file's <c>networks:</c> (both through <see cref="NetworkFileParser"/>), the API's PUT and apply
/// (networks files too), and host init's default network. Two steps. <see cref="CheckValues"/> looks at the
/// networks alone (names, addresses, rules, limits, and the networks of one document against each other) and
/// returns them in canonical form; <see cref="CheckAgainstHost"/> then compares them with what exists: recorded
/// networks and their VMs, the host's own addresses, what the kernel supports.
/// </summary>
public sealed partial class NetworkValidator(IStateStore store, HostDatapath host, HostKernel kernel)
{
    /// <summary>Rules per network: far more than a tenant's policy needs, and a bound on the chains a file makes.</summary>
    public const int MaxPolicies = 256;

    /// <summary>The guest's <c>ip=</c> kernel argument has room for two DNS servers.</summary>
    public const int MaxDns = 2;

    /// <summary>
    /// Checks the networks of one document, each with its index there; <paramref name="field"/> names a network's
    /// field in the caller's terms (<c>networks[3].subnet</c>, or <c>subnet</c> for host init). Returns the networks
    /// with their addresses in canonical form; they are valid when <paramref name="problems"/> stayed empty.
    /// </summary>
    internal static List<NetworkSpec> CheckValues(IReadOnlyList<(int Index, NetworkSpec Spec)> networks, Func<int, string, string> field, Problems problems)
    {
        var checkedNetworks = new List<(int Index, NetworkSpec Spec, Ipv4Network? Subnet, Ipv6Network? Ipv6)>();
        foreach (var (index, spec) in networks)
        {
            checkedNetworks.Add(CheckNetwork(spec, (name, message) => problems.Add(field(index, name), message)) is var (canonical, subnet, ipv6)
                ? (index, canonical, subnet, ipv6)
                : (index, spec, null, null));
        }

        foreach (var duplicate in checkedNetworks.GroupBy(n => n.Spec.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(field(duplicate.Skip(1).First().Index, "name"), $"network name {UserText.Quote(duplicate.Key)} is used {duplicate.Count()} times");
        }

        foreach (var duplicate in checkedNetworks.GroupBy(n => n.Spec.Bridge, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(field(duplicate.Skip(1).First().Index, "bridge"),
                $"bridge {UserText.Quote(duplicate.Key)} is used by networks {string.Join(", ", duplicate.Select(n => UserText.Quote(n.Spec.Name)))}");
        }

        foreach (var (earlier, later) in RangeOverlap.Find(checkedNetworks.Where(n => n.Subnet is not null), n => Range(n.Subnet!.Value)))
        {
            problems.Add(field(later.Index, "subnet"),
                $"network {UserText.Quote(later.Spec.Name)}: subnet {later.Subnet} overlaps network {UserText.Quote(earlier.Spec.Name)} ({earlier.Subnet})");
        }

        foreach (var (earlier, later) in RangeOverlap.Find(checkedNetworks.Where(n => n.Ipv6 is not null), n => Range(n.Ipv6!.Value)))
        {
            problems.Add(field(later.Index, "ipv6"),
                $"network {UserText.Quote(later.Spec.Name)}: ipv6 {later.Ipv6} overlaps network {UserText.Quote(earlier.Spec.Name)} ({earlier.Ipv6})");
        }

        return [.. checkedNetworks.Select(n => n.Spec)];
    }

    /// <summary>One network's values; null when one is wrong (reported through <paramref name="problem"/>: field, message).</summary>
    private static (NetworkSpec Spec, Ipv4Network Subnet, Ipv6Network? Ipv6)? CheckNetwork(NetworkSpec spec, Action<string, string> problem)
    {
        var label = $"network {UserText.Quote(spec.Name)}";
        var valid = true;
        void Problem(string name, string message)
        {
            problem(name, $"{label}: {message}");
            valid = false;
        }

        if (!NetworkNames.IsValid(spec.Name))
        {
            Problem("name", $"a network name is {SafeName.Rule(NetworkNames.MaxLength)}");
        }

        // A bridge derived from a refused name is refused with it; only a bridge the caller wrote is checked alone.
        if (NetworkNames.IsValid(spec.Name) || spec.Bridge != NetworkNames.DefaultBridge(spec.Name))
        {
            CheckBridge(spec.Bridge, Problem);
        }

        Ipv4Network? subnet = null;
        if (!Ipv4Network.TryParse(spec.Subnet, out var parsed, out var subnetError))
        {
            Problem("subnet", $"subnet {UserText.Quote(spec.Subnet)} {subnetError}");
        }
        else if (parsed.PrefixLength > 30)
        {
            Problem("subnet", $"subnet {parsed} has room for no VM (use /30 or shorter)");
        }
        else if (ReservedRanges.Overlapped(parsed) is { } reserved)
        {
            Problem("subnet", $"subnet {parsed} overlaps {reserved}, which no network may use");
        }
        else
        {
            subnet = parsed;
        }

        Ipv6Network? ipv6 = null;
        if (spec.Ipv6 is { } ipv6Text)
        {
            if (!Ipv6Prefix.TryParse(ipv6Text, out var prefix, out var ipv6Error))
            {
                Problem("ipv6", $"ipv6 {UserText.Quote(ipv6Text)} {ipv6Error}");
            }
            else if (ReservedRanges.Overlapped(prefix.AsNetwork) is { } reserved6)
            {
                Problem("ipv6", $"ipv6 {prefix} overlaps {reserved6}, which no network may use");
            }
            else
            {
                ipv6 = prefix.AsNetwork;
            }
        }

        if (spec.Vlan is { } vlan and (< 1 or > 4094))
        {
            Problem("vlan", $"vlan {vlan} is out of range (1-4094)");
        }

        CheckDns(spec.Dns, subnet, Problem);
        var policies = CheckPolicies(spec.Policies, Problem);
        return valid && subnet is { } valid4
            ? (spec with { Subnet = valid4.ToString(), Ipv6 = ipv6?.ToString(), Policies = policies }, valid4, ipv6)
            : null;
    }

    private static void CheckBridge(string bridge, Action<string, string> problem)
    {
        if (!SafeName.IsValid(bridge, NetworkNames.MaxBridgeLength))
        {
            problem("bridge", $"bridge {UserText.Quote(bridge)} is not an interface name Fireline takes: {SafeName.Rule(NetworkNames.MaxBridgeLength)}");
        }
        else if (NetworkNames.ReservedPrefix(bridge) is { } prefix)
        {
            problem("bridge", $"bridge {UserText.Quote(bridge)} starts with '{prefix}', which Fireline keeps for its own links and namespaces");
        }
    }

    /// <summary>
    /// DNS servers go into the guest's <c>ip=</c> kernel argument, so nothing but a canonical unicast IPv4 address
    /// may pass: strict dotted decimal (the text is then canonical), at most two, each once, and neither the
    /// subnet's network nor its broadcast address.
    /// </summary>
    private static void CheckDns(IReadOnlyList<string> servers, Ipv4Network? subnet, Action<string, string> problem)
    {
        if (servers.Count > MaxDns)
        {
            problem("dns", $"dns lists {servers.Count} servers; a guest takes at most {MaxDns}");
            return;
        }

        for (var i = 0; i < servers.Count; i++)
        {
            var field = $"dns[{i}]";
            if (!Ipv4Address.TryParse(servers[i], out var address))
            {
                problem(field, $"dns server {UserText.Quote(servers[i])} is not an IPv4 address (dotted decimal: four numbers 0-255 without leading zeros)");
            }
            else if (!ReservedRanges.IsUnicast(address) || (subnet is { } s && (address == s.Network || address == s.Broadcast)))
            {
                problem(field, $"dns server {servers[i]} is no host's address (not this network, multicast, broadcast or reserved)");
            }
            else if (servers.Take(i).Contains(servers[i], StringComparer.Ordinal)) // two at most
            {
                problem(field, $"dns server {servers[i]} is listed twice");
            }
        }
    }

    private static (UInt128 First, UInt128 Last) Range(Ipv4Network subnet) => (subnet.Network, subnet.Broadcast);

    private static (UInt128 First, UInt128 Last) Range(Ipv6Network prefix) => (prefix.Network, prefix.Last);
}
