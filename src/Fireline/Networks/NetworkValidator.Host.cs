using System.Net.Sockets;
using Fireline.Addressing;
using Fireline.Errors;
using Fireline.State;

namespace Fireline.Networks;

/// <summary>Networks about to be applied, against what exists.</summary>
public sealed partial class NetworkValidator
{
    /// <summary>
    /// Checks networks (already through <see cref="CheckValues"/>) against the recorded networks that stay (all but
    /// <paramref name="pruned"/> and the ones <paramref name="wanted"/> replaces), their VMs, the host's own
    /// addresses and the kernel; throws the first problem, naming the field as <paramref name="field"/> does for
    /// the network's index in <paramref name="wanted"/>. Nothing is changed.
    /// </summary>
    public void CheckAgainstHost(IReadOnlyList<NetworkSpec> wanted, IReadOnlyCollection<string> pruned, bool dryRun, Func<int, string, string> field)
    {
        var current = store.ListNetworks().ToDictionary(n => n.Name, n => n.Spec, StringComparer.Ordinal);
        // The pools count each network's VMs; the VMs themselves are read only when a prefix changes: a policy change
        // costs the same with 10 VMs or 10,000.
        var withIpv6Vms = new Lazy<HashSet<string>>(() => store.ListVms().Where(v => v.Options.Ipv6).Select(v => v.Network).ToHashSet(StringComparer.Ordinal));
        var wantedNames = wanted.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        var staying = current.Values.Where(n => !wantedNames.Contains(n.Name) && !pruned.Contains(n.Name)).ToList();

        // Read once, and only when a subnet is new: listing the host's links costs more with every VM's host veth.
        var hostAddresses = new Lazy<List<(string Link, string Text, Ipv4Network Network)>>(
            () => HostAddresses([.. current.Values.Concat(wanted).SelectMany(n => NetworkSegments.FurtherBridges(n.Bridge, n.Subnet).Prepend(n.Bridge))]));
        foreach (var (index, spec) in wanted.Index())
        {
            var existing = current.GetValueOrDefault(spec.Name);
            if (existing is not null && (existing.Subnet != spec.Subnet || existing.Bridge != spec.Bridge) && pools.Leased(spec.Name) > 0)
            {
                throw DomainErrors.Conflict(
                    $"network '{spec.Name}': its subnet or bridge cannot change ({existing.Subnet} on {existing.Bridge}) while {pools.Leased(spec.Name)} VM(s) use it", field(index, "subnet"));
            }

            if (existing?.Ipv6 is { } oldPrefix && oldPrefix != spec.Ipv6 && withIpv6Vms.Value.Contains(spec.Name))
            {
                throw DomainErrors.Conflict($"network '{spec.Name}': its IPv6 prefix {oldPrefix} is in use by VMs and cannot change", field(index, "ipv6"));
            }

            // A subnet already recorded was checked against the host's addresses when it was applied.
            var subnet = spec.Subnet;
            var own = existing?.Subnet == spec.Subnet ? default : hostAddresses.Value.FirstOrDefault(a => a.Network.Overlaps(subnet));
            if (own.Link is not null)
            {
                throw DomainErrors.InvalidInput(field(index, "subnet"), $"network '{spec.Name}': subnet {spec.Subnet} overlaps the host's own address {own.Text} on {UserText.Quote(own.Link)}");
            }

            if (spec.Vlan is { } vlan)
            {
                CheckVlan(spec, vlan, dryRun, field(index, "vlan"));
            }
        }

        CheckClashes(wanted, staying, field);
        foreach (var name in pruned.Where(n => pools.Leased(n) > 0))
        {
            throw DomainErrors.Conflict($"{FieldReference.Of("prune")} would delete network '{name}', which {pools.Leased(name)} VM(s) use; delete them first", "network");
        }
    }

    /// <summary>
    /// A network tagged on the uplink needs an uplink, and a kernel with 802.1Q (a dry run only plans it, so it
    /// is shown on any kernel).
    /// </summary>
    private void CheckVlan(NetworkSpec spec, int vlan, bool dryRun, string field)
    {
        if (store.GetHost()?.Uplink is null)
        {
            throw DomainErrors.InvalidInput(field, $"network '{spec.Name}': vlan {vlan} is carried tagged on the uplink, and the host has none; name it with fireline host init --uplink IF");
        }

        if (!dryRun && !host.SupportsVlans())
        {
            throw DomainErrors.Unsupported($"network '{spec.Name}': vlan {vlan} needs 802.1Q VLAN support, which this kernel lacks (no 8021q); nothing was changed", field);
        }
    }

    /// <summary>A wanted network's subnet, IPv6 prefix, bridge or VLAN id taken by a recorded network that stays.</summary>
    private static void CheckClashes(IReadOnlyList<NetworkSpec> wanted, List<NetworkSpec> staying, Func<int, string, string> field)
    {
        var bridges = staying.ToDictionary(n => n.Bridge, StringComparer.Ordinal);
        var all = wanted.Select((w, i) => (Spec: w, Index: i)).Concat(staying.Select(s => (Spec: s, Index: -1))).ToList();
        foreach (var (index, spec) in wanted.Index())
        {
            if (bridges.TryGetValue(spec.Bridge, out var holder))
            {
                throw DomainErrors.Conflict($"network '{spec.Name}': bridge {spec.Bridge} is network '{holder.Name}''s", field(index, "bridge"));
            }
        }

        // Two networks of several segments whose segment bridges' names would start alike (a hash collision).
        var segmented = all.Where(n => NetworkSegments.Count(n.Spec.Subnet) > 1).ToList();
        foreach (var (index, spec) in wanted.Index().Where(w => NetworkSegments.Count(w.Item.Subnet) > 1))
        {
            if (segmented.FirstOrDefault(n => n.Spec.Bridge != spec.Bridge && NetworkSegments.Prefix(n.Spec.Bridge) == NetworkSegments.Prefix(spec.Bridge)) is { Spec: { } holder })
            {
                throw DomainErrors.Conflict(
                    $"network '{spec.Name}': the bridges of its further segments would be named like network '{holder.Name}''s ({NetworkSegments.Prefix(spec.Bridge)}N); choose another bridge name", field(index, "bridge"));
            }
        }

        var vlans = staying.Where(n => n.Vlan is not null).ToDictionary(n => n.Vlan!.Value);
        foreach (var (index, spec) in wanted.Index())
        {
            if (spec.Vlan is { } vlan && vlans.TryGetValue(vlan, out var holder))
            {
                throw DomainErrors.Conflict($"network '{spec.Name}': vlan {vlan} is network '{holder.Name}''s; two networks never share a VLAN id", field(index, "vlan"));
            }
        }

        // Staying networks never overlap each other (they were checked), so an overlap found involves a wanted one.
        foreach (var (a, b) in RangeOverlap.Find(all, n => Range(n.Spec.Subnet)).Where(p => p.Earlier.Index >= 0 || p.Later.Index >= 0))
        {
            var (spec, other) = a.Index >= 0 ? (a, b.Spec) : (b, a.Spec);
            throw DomainErrors.Conflict(
                $"network '{spec.Spec.Name}': {spec.Spec.Subnet} on {spec.Spec.Bridge} clashes with network '{other.Name}' ({other.Subnet} on {other.Bridge})", field(spec.Index, "subnet"));
        }

        foreach (var (a, b) in RangeOverlap.Find(all.Where(n => n.Spec.Ipv6 is not null), n => Range(n.Spec.Ipv6!.Value)).Where(p => p.Earlier.Index >= 0 || p.Later.Index >= 0))
        {
            var (spec, other) = a.Index >= 0 ? (a, b.Spec) : (b, a.Spec);
            throw DomainErrors.Conflict($"network '{spec.Spec.Name}': ipv6 {spec.Spec.Ipv6} overlaps network '{other.Name}' ({other.Ipv6})", field(spec.Index, "ipv6"));
        }
    }

    private List<(string Link, string Text, Ipv4Network Network)> HostAddresses(HashSet<string> ownBridges)
        => kernel.Rtnl(rtnl =>
        {
            var names = rtnl.Links.List().ToDictionary(l => l.Index, l => l.Name);
            return rtnl.Addresses.List(family: AddressFamily.InterNetwork)
                .Where(a => names.TryGetValue(a.LinkIndex, out var link) && !ownBridges.Contains(link) && link != "lo")
                .Select(a => (names[a.LinkIndex], a.Cidr, new Ipv4Network(Ipv4Network.ToUInt32(a.Local), a.PrefixLength)))
                .ToList();
        });
}
