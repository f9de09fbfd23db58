using Fireline.Addressing;
using Fireline.Errors;
using Fireline.Host;
using Fireline.Ipam;
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
public sealed partial class NetworkValidator(IStateStore store, NetworkPools pools, HostDatapath host, HostKernel kernel)
{
    /// <summary>Rules per network: far more than a tenant's policy needs, and a bound on the chains a file makes.</summary>
    public const int MaxPolicies = 256;

    /// <summary>
    /// Ready slots a network's warm pool may keep: a bound on the devices a small file makes (slots share the network's
    /// addresses with its VMs).
    /// </summary>
    public const int MaxPool = 512;

    /// <summary>The guest's <c>ip=</c> kernel argument has room for two DNS servers.</summary>
    public const int MaxDns = 2;

    /// <summary>
    /// Checks the networks of one document, each with its index there; <paramref name="field"/> names a network's
    /// field in the caller's terms (<c>networks[3].subnet</c>, or <c>subnet</c> for host init). Returns the networks
    /// with their policies in canonical form; they are valid when <paramref name="problems"/> stayed empty.
    /// </summary>
    internal static List<NetworkSpec> CheckValues(IReadOnlyList<(int Index, NetworkSpec Spec)> networks, Func<int, string, string> field, Problems problems)
    {
        var checkedNetworks = new List<(int Index, NetworkSpec Spec)>();
        foreach (var (index, spec) in networks)
        {
            checkedNetworks.Add((index, CheckNetwork(spec, (name, message) => problems.Add(field(index, name), message)) ?? spec));
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

        foreach (var duplicate in checkedNetworks.Where(n => n.Spec.Vlan is not null).GroupBy(n => n.Spec.Vlan).Where(g => g.Count() > 1))
        {
            problems.Add(field(duplicate.Skip(1).First().Index, "vlan"),
                $"vlan {duplicate.Key} is used by networks {string.Join(", ", duplicate.Select(n => UserText.Quote(n.Spec.Name)))}: two networks never share a VLAN id");
        }

        foreach (var (earlier, later) in RangeOverlap.Find(checkedNetworks.Where(n => SubnetProblem(n.Spec.Subnet) is null), n => Range(n.Spec.Subnet)))
        {
            problems.Add(field(later.Index, "subnet"),
                $"network {UserText.Quote(later.Spec.Name)}: subnet {later.Spec.Subnet} overlaps network {UserText.Quote(earlier.Spec.Name)} ({earlier.Spec.Subnet})");
        }

        foreach (var (earlier, later) in RangeOverlap.Find(checkedNetworks.Where(n => n.Spec.Ipv6 is { } p && ReservedRanges.Overlapped(p.AsNetwork) is null), n => Range(n.Spec.Ipv6!.Value)))
        {
            problems.Add(field(later.Index, "ipv6"),
                $"network {UserText.Quote(later.Spec.Name)}: ipv6 {later.Spec.Ipv6} overlaps network {UserText.Quote(earlier.Spec.Name)} ({earlier.Spec.Ipv6})");
        }

        return [.. checkedNetworks.Select(n => n.Spec)];
    }

    /// <summary>One network's values; null when one is wrong (reported through <paramref name="problem"/>: field, message).</summary>
    private static NetworkSpec? CheckNetwork(NetworkSpec spec, Action<string, string> problem)
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

        if (SubnetProblem(spec.Subnet) is { } subnetProblem)
        {
            Problem("subnet", subnetProblem);
        }

        if (spec.Ipv6 is { } prefix && ReservedRanges.Overlapped(prefix.AsNetwork) is { } reserved6)
        {
            Problem("ipv6", $"ipv6 {prefix} overlaps {reserved6}, which no network may use");
        }

        if (spec.Vlan is { } vlan and (< 1 or > 4094))
        {
            Problem("vlan", $"vlan {vlan} is out of range (1-4094)");
        }

        if (spec.Pool is < 0 or > MaxPool)
        {
            Problem("pool", $"pool {spec.Pool} is out of range (0-{MaxPool}): each ready slot holds a namespace, a TAP, a veth pair and an address");
        }
        else if (spec.Pool > NetworkSegments.VmCapacity(spec.Subnet))
        {
            Problem("pool", $"pool {spec.Pool} is more than subnet {spec.Subnet} has addresses for VMs ({NetworkSegments.VmCapacity(spec.Subnet)})");
        }

        if (spec.GatewayOutside && spec.Vlan is null)
        {
            Problem("gateway", "gateway outside needs a vlan: only a network carried on the uplink reaches a router outside the host");
        }
        else if (spec.GatewayOutside && spec.Nat)
        {
            Problem("nat", "nat needs the bridge as the gateway: with the gateway outside, nothing of the network is routed through the host");
        }

        CheckDns(spec.Dns, spec.Subnet, Problem);
        var policies = CheckPolicies(spec.Policies, Problem);
        return valid ? spec with { Policies = policies } : null;
    }

    /// <summary>
    /// A network's subnet and IPv6 prefix as written, parsed once for whoever declares it (a networks file, host
    /// init); null when either does not parse (reported through <paramref name="problem"/>: field, message).
    /// </summary>
    internal static (Ipv4Network Subnet, Ipv6Prefix? Ipv6)? ParseAddresses(string label, string subnetText, string? ipv6Text, Action<string, string> problem)
    {
        var valid = true;
        if (!Ipv4Network.TryParse(subnetText, out var subnet, out var subnetError))
        {
            problem("subnet", $"{label}: subnet {UserText.Quote(subnetText)} {subnetError}");
            valid = false;
        }

        Ipv6Prefix? ipv6 = null;
        if (ipv6Text is not null)
        {
            if (Ipv6Prefix.TryParse(ipv6Text, out var prefix, out var ipv6Error))
            {
                ipv6 = prefix;
            }
            else
            {
                problem("ipv6", $"{label}: ipv6 {UserText.Quote(ipv6Text)} {ipv6Error}");
                valid = false;
            }
        }

        return valid ? (subnet, ipv6) : null;
    }

    /// <summary>Why no network may have this subnet; null when one may.</summary>
    private static string? SubnetProblem(Ipv4Network subnet)
        => subnet.PrefixLength > 30 ? $"subnet {subnet} has room for no VM (use /30 or shorter)"
            : ReservedRanges.Overlapped(subnet) is { } reserved ? $"subnet {subnet} overlaps {reserved}, which no network may use"
            : null;

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
    private static void CheckDns(IReadOnlyList<string> servers, Ipv4Network subnet, Action<string, string> problem)
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
            else if (!ReservedRanges.IsUnicast(address) || address == subnet.Network || address == subnet.Broadcast)
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

    private static (UInt128 First, UInt128 Last) Range(Ipv6Prefix prefix) => (prefix.AsNetwork.Network, prefix.AsNetwork.Last);
}
