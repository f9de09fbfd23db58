using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fireline.Errors;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Nftables;
using Fireline.Ownership;
using Fireline.Policy;
using Fireline.State;
using static Fireline.Firewall.FirewallTables;

namespace Fireline.Firewall;

/// <summary>
/// Fireline's nftables tables in the host namespace, kept as the state calls for, over nf_tables netlink: every
/// change is one transaction (all of it or none), every value is typed data. What was applied is remembered in
/// the state store (the frame's version, the host's settings, each network's spec), so a network change touches
/// only that network's chains and elements, and a VM's only its own elements. Both tables carry the instance's
/// mark as their comment: tables with another instance's mark are never touched.
/// </summary>
public sealed class HostFirewall(HostKernel kernel, IStateStore store, InstanceMark mark)
{
    private const string FrameKey = "firewall.frame";
    private const string HostKey = "firewall.host";
    private const string NetworkKeyPrefix = "firewall.network.";

    /// <summary>Identifies the frame this code builds: a new release with another frame rebuilds the tables once.</summary>
    private static readonly string FrameVersion = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\n', FrameRules.All.Select(r => $"{r.Chain.Name} {r.Digest}").Concat(InetSets.Concat(BridgeSets).Select(s => s.ToString() + s.Key))))))[..16];

    /// <summary>
    /// Makes the tables hold the frame, the host's uplink and NAT, and exactly these networks. When the frame is
    /// intact and the host unchanged, only networks that differ from what was applied are touched (their chains'
    /// rules replaced, their elements swapped); otherwise both tables are rebuilt in one transaction, every VM's
    /// and forward's elements included. Returns whether anything changed.
    /// </summary>
    public bool Ensure(HostState host, IReadOnlyList<NetworkSpec> networks)
    {
        kernel.Nft(RequireOwnTables);
        var applied = Applied();
        if (!kernel.Nft(FrameIntact) || applied.Host != host)
        {
            Rebuild(host, networks);
            return true;
        }

        var batch = new NftBatch();
        var wanted = networks.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var removed = applied.Networks.Keys.Where(name => !wanted.Contains(name)).ToList();
        foreach (var name in removed)
        {
            Remove(batch, new NetworkFirewall(applied.Networks[name], host));
        }

        var changed = networks.Where(n => applied.Networks.GetValueOrDefault(n.Name) != n).ToList();
        foreach (var spec in changed)
        {
            if (applied.Networks.TryGetValue(spec.Name, out var old))
            {
                Replace(batch, new NetworkFirewall(old, host), new NetworkFirewall(spec, host));
            }
            else
            {
                Add(batch, new NetworkFirewall(spec, host));
            }
        }

        if (batch.Count == 0)
        {
            return false;
        }

        try
        {
            kernel.Nft(nft => nft.Apply(batch));
        }
        catch (KernelObjectNotFoundException)
        {
            // The kernel no longer holds what was applied (changed by hand): start from scratch.
            Rebuild(host, networks);
            return true;
        }

        Remember(host, changed, removed);
        return true;
    }

    /// <summary>
    /// Checks everything against the kernel, the rules of every chain and the elements of every network, and
    /// rebuilds the tables when anything differs (reconcile). Returns whether it rebuilt them.
    /// </summary>
    public bool Verify(HostState host, IReadOnlyList<NetworkSpec> networks)
    {
        kernel.Nft(RequireOwnTables);
        if (IsIntact(host, networks))
        {
            return false;
        }

        Rebuild(host, networks);
        return true;
    }

    /// <summary>
    /// Whether the kernel holds exactly what these networks call for: the frame, every chain with its rules, and
    /// every network's elements (doctor; reconcile repairs what is not). Reads both tables whole.
    /// </summary>
    public bool IsIntact(HostState host, IReadOnlyList<NetworkSpec> networks)
    {
        var applied = Applied();
        var parts = networks.Select(n => new NetworkFirewall(n, host)).ToList();
        var chains = parts.SelectMany(n => n.Chains.Select(c => (c, n.Rules))).Concat(VmEntries().SelectMany(vm => vm.Chains.Select(c => (c, vm.Rules)))).ToList();
        return applied.Host == host && applied.Networks.Count == networks.Count && networks.All(n => applied.Networks.GetValueOrDefault(n.Name) == n) &&
            kernel.Nft(nft => FrameIntact(nft) && RulesIntact(nft, chains) && NetworkElementsIntact(nft, host, parts));
    }

    /// <summary>
    /// Makes every VM's and forward's elements exactly what the state calls for, in one transaction: what is
    /// missing is added, what no record claims is removed (reconcile). Returns whether anything differed.
    /// </summary>
    public bool SyncElements() => Sync(WantedVmElements().Select(w => (w.Set, (IReadOnlyList<NftElement>)w.Elements)));

    /// <summary>
    /// Makes the cluster's sets (<see cref="RemoteSets"/>: this node's tunnel endpoint, and what remote VMs may send
    /// through the underlay and the VXLAN ports) hold exactly <paramref name="wanted"/>, in one transaction; a set
    /// not named is left as it is. Returns whether anything differed.
    /// </summary>
    public bool SyncRemote(IReadOnlyList<(NftSet Set, IReadOnlyList<NftElement> Elements)> wanted)
        => wanted.All(w => RemoteSets.Contains(w.Set)) ? Sync(wanted) : throw new ArgumentException("only the cluster's sets", nameof(wanted));

    private bool Sync(IEnumerable<(NftSet Set, IReadOnlyList<NftElement> Elements)> sets)
    {
        var batch = new NftBatch();
        kernel.Nft(nft =>
        {
            foreach (var (set, wanted) in sets)
            {
                var present = nft.Elements(set);
                var presentKeys = present.Select(Identity).ToHashSet(StringComparer.Ordinal);
                var wantedKeys = wanted.Select(Identity).ToHashSet(StringComparer.Ordinal);
                var missing = wanted.Where(w => !presentKeys.Contains(Identity(w))).ToList();
                var extra = present.Where(p => !wantedKeys.Contains(Identity(p))).ToList();
                if (extra.Count > 0)
                {
                    batch.DeleteElements(set, extra);
                }

                if (missing.Count > 0)
                {
                    batch.AddElements(set, missing);
                }
            }

            nft.Apply(batch);
        });
        return batch.Count > 0;
    }

    /// <summary>
    /// Lets a VM's frames through anti-spoofing (its port, MAC and addresses) and, when it has rules of its own, adds
    /// its chains and their map elements: one transaction.
    /// </summary>
    public void AddVm(VmFirewallEntry vm)
    {
        var batch = new NftBatch();
        AddVmPolicy(batch, vm);
        foreach (var (set, elements) in vm.Elements)
        {
            batch.AddElements(set, elements);
        }

        kernel.Nft(nft => nft.Apply(batch));
    }

    /// <summary>
    /// Removes a VM's elements in one transaction; when one of them is already gone (a crash cut a delete short),
    /// the rest go one by one, and those already gone count as removed. Then its own chains, if it has any.
    /// </summary>
    public void RemoveVm(VmFirewallEntry vm)
    {
        DeleteTolerant([.. vm.Elements.SelectMany(e => e.Elements.Select(element => (e.Set, element)))]);
        DeleteChainsTolerant(vm.Chains);
    }

    /// <summary>
    /// Replaces a VM's own rules, touching only its chains and its elements in the per-VM maps: one transaction,
    /// the same with 10 VMs or 4,000. A VM that had none gets its chains; one left with none loses them.
    /// </summary>
    public void SetVmPolicy(VmFirewallEntry old, VmFirewallEntry wanted)
    {
        // The map elements stay while the VM keeps chains: they point at the chains by name, whatever their rules.
        var (had, keeps) = (old.Chains.Count > 0, wanted.Chains.Count > 0);
        var batch = new NftBatch();
        if (had && !keeps)
        {
            foreach (var (set, elements) in PolicyElements(old))
            {
                batch.DeleteElements(set, elements);
            }
        }

        foreach (var chain in old.Chains)
        {
            batch.FlushChain(chain);
            if (!keeps)
            {
                batch.DeleteChain(chain);
            }
        }

        AddVmPolicy(batch, wanted);
        if (keeps && !had)
        {
            foreach (var (set, elements) in PolicyElements(wanted))
            {
                batch.AddElements(set, elements);
            }
        }

        if (batch.Count > 0)
        {
            kernel.Nft(nft => nft.Apply(batch));
        }
    }

    /// <summary>A VM's chains (adding an existing one changes nothing) and their rules.</summary>
    private static void AddVmPolicy(NftBatch batch, VmFirewallEntry vm)
    {
        foreach (var chain in vm.Chains)
        {
            batch.AddChain(chain);
        }

        foreach (var rule in vm.Rules)
        {
            batch.AddRule(rule);
        }
    }

    private static IEnumerable<(NftSet Set, IReadOnlyList<NftElement> Elements)> PolicyElements(VmFirewallEntry vm)
        => vm.Elements.Where(e => VmPolicyMaps.Contains(e.Set));

    public void AddForward(PortForward forward) => kernel.Nft(nft => nft.Apply(new NftBatch().AddElements(PortForwards, [ForwardElement.Of(forward)])));

    public void RemoveForward(PortForward forward) => DeleteTolerant([(PortForwards, ForwardElement.Key(forward))]);

    /// <summary>Whether the VM's own chains hold exactly its rules (by digest) and the per-VM maps its elements (doctor).</summary>
    public bool VmPolicyIntact(VmFirewallEntry vm) => kernel.Nft(nft =>
    {
        var chains = nft.Chains(Inet).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return vm.Chains.All(c => chains.Contains(c.Name) && RulesMatch(nft, c.Name, vm.Rules.Where(r => r.Chain == c))) &&
            PolicyElements(vm).All(e =>
            {
                var present = nft.Elements(e.Set).Select(Identity).ToHashSet(StringComparer.Ordinal);
                return e.Elements.All(element => present.Contains(Identity(element)));
            });
    });

    /// <summary>Whether both tables exist.</summary>
    public bool IsPresent() => kernel.Nft(nft => nft.HasTable(Inet) && nft.HasTable(Bridge));

    /// <summary>Whether traffic leaving by <paramref name="uplink"/> is masqueraded: the uplink is the one set, and the NAT rules are in place.</summary>
    public bool Masquerades(string uplink) => kernel.Nft(nft =>
        nft.HasTable(Inet) && nft.Elements(Uplink).Any(e => e.Key.AsSpan().SequenceEqual(NftData.InterfaceName(uplink))) &&
        RulesMatch(nft, Postrouting.Name, FrameRules.All.Where(r => r.Chain == Postrouting)));

    /// <summary>The anti-spoofing MAC elements in the kernel: port and MAC (doctor).</summary>
    public IReadOnlyList<(string Port, MacAddress Mac)> VmMacElements()
        => kernel.Nft(nft => nft.Elements(VmMacs)).Select(e => (Port(e.Key), MacAddress.FromBytes(e.Key.AsSpan(16, MacAddress.Length)))).ToList();

    /// <summary>The anti-spoofing IPv4 elements in the kernel: port, MAC and address (doctor).</summary>
    public IReadOnlyList<(string Port, MacAddress Mac, IPAddress Address)> VmIpv4Elements()
        => kernel.Nft(nft => nft.Elements(VmIpv4))
            .Select(e => (Port(e.Key), MacAddress.FromBytes(e.Key.AsSpan(16, MacAddress.Length)), new IPAddress(e.Key.AsSpan(24, 4)))).ToList();

    /// <summary>Both tables rebuilt at once from the state: no instant without rules, and nothing of a hand edit survives.</summary>
    private void Rebuild(HostState host, IReadOnlyList<NetworkSpec> networks)
    {
        var batch = new NftBatch();
        foreach (var table in new[] { Inet, Bridge })
        {
            // Adding first makes the delete succeed whether or not the table was there.
            batch.AddTable(table).DeleteTable(table).AddTable(table, mark.Text);
        }

        foreach (var set in InetSets.Concat(BridgeSets))
        {
            batch.AddSet(set);
        }

        foreach (var chain in BaseChains)
        {
            batch.AddChain(chain);
        }

        foreach (var rule in FrameRules.All)
        {
            batch.AddRule(rule);
        }

        if (host.Uplink is { } uplink)
        {
            batch.AddElements(Uplink, [new NftElement(NftData.InterfaceName(uplink))]);
        }

        foreach (var network in networks)
        {
            Add(batch, new NetworkFirewall(network, host));
        }

        foreach (var vm in VmEntries())
        {
            AddVmPolicy(batch, vm);
        }

        foreach (var (set, elements) in WantedVmElements())
        {
            if (elements.Count > 0)
            {
                batch.AddElements(set, elements);
            }
        }

        kernel.Nft(nft => nft.Apply(batch));
        store.SaveSetting(FrameKey, FrameVersion);
        var names = networks.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        Remember(host, networks, [.. Applied().Networks.Keys.Where(name => !names.Contains(name))]);
    }

    private static void Add(NftBatch batch, NetworkFirewall network)
    {
        foreach (var chain in network.Chains)
        {
            batch.AddChain(chain);
        }

        foreach (var rule in network.Rules)
        {
            batch.AddRule(rule);
        }

        foreach (var (set, elements) in network.Elements)
        {
            batch.AddElements(set, elements);
        }
    }

    /// <summary>Elements first (the verdict maps jump to its chains), then rules (its chains jump to each other), then chains.</summary>
    private static void Remove(NftBatch batch, NetworkFirewall network)
    {
        foreach (var (set, elements) in network.Elements)
        {
            batch.DeleteElements(set, elements);
        }

        foreach (var chain in network.Chains)
        {
            batch.FlushChain(chain);
        }

        foreach (var chain in network.Chains)
        {
            batch.DeleteChain(chain);
        }
    }

    /// <summary>A changed network keeps its chains (their names come from its name): their rules and its elements are swapped.</summary>
    private static void Replace(NftBatch batch, NetworkFirewall old, NetworkFirewall wanted)
    {
        foreach (var (set, elements) in old.Elements)
        {
            batch.DeleteElements(set, elements);
        }

        foreach (var chain in old.Chains)
        {
            batch.FlushChain(chain);
        }

        foreach (var rule in wanted.Rules)
        {
            batch.AddRule(rule);
        }

        foreach (var (set, elements) in wanted.Elements)
        {
            batch.AddElements(set, elements);
        }
    }

    /// <summary>
    /// Both tables are absent, this instance's, or unmarked (made by a Fireline older than marks, in this host
    /// namespace: rebuilt, they get the mark); tables with another mark are not ours to change.
    /// </summary>
    private void RequireOwnTables(NfTables nft)
    {
        foreach (var table in new[] { Inet, Bridge })
        {
            if (nft.Table(table) is { Length: > 0 } comment && comment != mark.Text)
            {
                throw DomainErrors.FirewallInUse(table.ToString(),
                    comment.StartsWith("fireline:", StringComparison.Ordinal) ? "another Fireline instance" : $"someone else (comment '{comment}')");
            }
        }
    }

    /// <summary>Both tables with this instance's mark, the frame's version, and every base chain's rules as this code writes them.</summary>
    private bool FrameIntact(NfTables nft)
        => store.GetSetting(FrameKey) == FrameVersion && nft.Table(Inet) == mark.Text && nft.Table(Bridge) == mark.Text &&
           BaseChains.All(chain => RulesMatch(nft, chain.Name, FrameRules.All.Where(r => r.Chain == chain), chain.Table));

    /// <summary>Exactly these chains besides the base chains, each holding exactly its rules (by digest, in order).</summary>
    private static bool RulesIntact(NfTables nft, IReadOnlyList<(NftChain Chain, IReadOnlyList<NftRule> Rules)> wanted)
    {
        var listed = nft.Rules(Inet).ToLookup(r => r.Chain, r => r.Digest, StringComparer.Ordinal);
        var chains = nft.Chains(Inet).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var names = wanted.Select(w => w.Chain).Concat(BaseChains.Where(c => c.Table == Inet)).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return chains.SetEquals(names) && wanted.All(w =>
            listed[w.Chain.Name].SequenceEqual(w.Rules.Where(r => r.Chain == w.Chain).Select(r => r.Digest), StringComparer.Ordinal));
    }

    private static bool NetworkElementsIntact(NfTables nft, HostState host, IReadOnlyList<NetworkFirewall> networks)
    {
        var wanted = networks.SelectMany(n => n.Elements).GroupBy(e => e.Set).ToDictionary(g => g.Key, g => g.SelectMany(e => e.Elements).ToList());
        wanted[Uplink] = host.Uplink is { } uplink ? [new NftElement(NftData.InterfaceName(uplink))] : [];
        return InetSets.Where(s => s != PortForwards && !VmPolicyMaps.Contains(s) && !RemoteSets.Contains(s)).All(set =>
        {
            var present = nft.Elements(set).Select(Identity).ToHashSet(StringComparer.Ordinal);
            return present.SetEquals((wanted.GetValueOrDefault(set) ?? []).Select(Identity));
        });
    }

    private static bool RulesMatch(NfTables nft, string chain, IEnumerable<NftRule> wanted, NftTable? table = null)
        => nft.Rules(table ?? Inet, chain).Select(r => r.Digest).SequenceEqual(wanted.Select(r => r.Digest), StringComparer.Ordinal);

    /// <summary>Every recorded VM's entry (its elements, and its chains when it has rules of its own).</summary>
    private List<VmFirewallEntry> VmEntries()
    {
        var networks = store.ListNetworks().ToDictionary(n => n.Name, n => n.Spec, StringComparer.Ordinal);
        return [.. store.ListVms().Where(vm => networks.ContainsKey(vm.Network)).Select(vm => VmFirewallEntry.For(vm, networks[vm.Network]))];
    }

    /// <summary>Every recorded VM's anti-spoofing and per-VM map elements and every forward's element, by set.</summary>
    private List<(NftSet Set, List<NftElement> Elements)> WantedVmElements()
    {
        var vms = VmEntries().SelectMany(vm => vm.Elements).ToList();
        List<(NftSet, List<NftElement>)> wanted = [.. BridgeSets.Except(RemoteSets).Concat(VmPolicyMaps).Select(set => (set, vms.Where(e => e.Set == set).SelectMany(e => e.Elements).ToList()))];
        wanted.Add((PortForwards, [.. store.ListForwards().Where(f => f.VmAddress is not null).Select(ForwardElement.Of)]));
        return wanted;
    }

    /// <summary>Deletes elements in one transaction, or one by one when one of them is already gone.</summary>
    private void DeleteTolerant(IReadOnlyList<(NftSet Set, NftElement Element)> elements) => kernel.Nft(nft =>
    {
        // One message per set: the kernel looks the table and set up once per message, not once per element.
        var batch = new NftBatch();
        foreach (var set in elements.GroupBy(e => e.Set, e => e.Element))
        {
            batch.DeleteElements(set.Key, [.. set]);
        }

        try
        {
            nft.Apply(batch);
        }
        catch (KernelObjectNotFoundException)
        {
            foreach (var (set, element) in elements)
            {
                try
                {
                    nft.Apply(new NftBatch().DeleteElements(set, [element]));
                }
                catch (KernelObjectNotFoundException)
                {
                    // Not there: the state the caller wants.
                }
            }
        }
    });

    /// <summary>Flushes and deletes chains in one transaction, or one by one when one of them is already gone.</summary>
    private void DeleteChainsTolerant(IReadOnlyList<NftChain> chains) => kernel.Nft(nft =>
    {
        if (chains.Count == 0)
        {
            return;
        }

        var batch = new NftBatch();
        foreach (var chain in chains)
        {
            batch.FlushChain(chain).DeleteChain(chain);
        }

        try
        {
            nft.Apply(batch);
        }
        catch (KernelObjectNotFoundException)
        {
            foreach (var chain in chains)
            {
                try
                {
                    nft.Apply(new NftBatch().FlushChain(chain).DeleteChain(chain));
                }
                catch (KernelObjectNotFoundException)
                {
                    // Not there: the state the caller wants.
                }
            }
        }
    });

    /// <summary>An element's key, end flag, value and verdict as one string, to compare sets of elements in linear time.</summary>
    private static string Identity(NftElement element)
        => $"{Convert.ToHexString(element.Key)}{(element.IntervalEnd ? "/end" : "")}:{(element.Data is { } data ? Convert.ToHexString(data) : "")}:{element.Verdict}";

    private static string Port(byte[] key) => Encoding.ASCII.GetString(key, 0, 16).TrimEnd('\0');

    private (HostState? Host, Dictionary<string, NetworkSpec> Networks) Applied()
    {
        var host = store.GetSetting(HostKey) is { } json ? JsonSerializer.Deserialize(json, StateJson.Default.HostState) : null;
        var networks = store.ListSettings(NetworkKeyPrefix).ToDictionary(
            s => s.Key[NetworkKeyPrefix.Length..], s => JsonSerializer.Deserialize(s.Value, StateJson.Default.NetworkSpec)!, StringComparer.Ordinal);
        return (host, networks);
    }

    /// <summary>Records what the kernel now holds: the host's settings, the networks saved, the networks removed.</summary>
    private void Remember(HostState host, IReadOnlyList<NetworkSpec> saved, IReadOnlyList<string> removed)
    {
        store.SaveSetting(HostKey, JsonSerializer.Serialize(host, StateJson.Default.HostState));
        foreach (var name in removed)
        {
            store.DeleteSetting(NetworkKeyPrefix + name);
        }

        foreach (var network in saved)
        {
            store.SaveSetting(NetworkKeyPrefix + network.Name, JsonSerializer.Serialize(network, StateJson.Default.NetworkSpec));
        }
    }
}
