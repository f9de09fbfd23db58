using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Nftables;
using Fireline.Policy;
using Fireline.State;

namespace Fireline.Host;

/// <summary>
/// Fireline's own nftables tables in the host namespace (<see cref="FirewallRuleset"/>): never a rule in
/// anybody else's table. The structure is rebuilt in one transaction when networks change (or someone changed
/// it by hand); per-VM and per-forward elements are added and removed one by one.
/// </summary>
public sealed class Firewall(HostKernel kernel, IStateStore store)
{
    private const string SourceSetting = "firewall.structure";
    private const string ListingSetting = "firewall.listing";
    private const string FrameSetting = "firewall.frame";

    /// <summary>
    /// Makes the tables hold the structure for these networks. When the kernel already holds exactly what was
    /// last applied for the same structure, nothing is touched (a second host init changes nothing). When only
    /// policies changed, the changed policy chains get their new rules in one transaction and no VM's element
    /// is touched (only the check before, a listing of the tables, reads the elements). Otherwise both tables
    /// are replaced at once, elements included. Returns whether anything changed.
    /// </summary>
    public bool Ensure(HostState host, IReadOnlyList<NetworkSpec> networks)
    {
        var structure = FirewallRuleset.Structure(host, networks);
        var frame = FirewallRuleset.Frame(host, networks);
        var applied = store.GetSetting(SourceSetting);
        if (applied is not null && ListTables() is { } tables && tables.Inet + tables.Bridge == store.GetSetting(ListingSetting))
        {
            if (structure == applied)
            {
                return false;
            }

            if (frame == store.GetSetting(FrameSetting))
            {
                kernel.Nftables.Run(string.Concat(FirewallRuleset.PolicyChains(networks)
                    .Where(chain => !applied.Contains(FirewallRuleset.ChainBlock(chain.Key, chain.Value), StringComparison.Ordinal))
                    .Select(chain => FirewallRuleset.ReplaceChain(chain.Key, chain.Value))));
                // The bridge table was not touched: its listing (the read that grows with the VMs) still holds.
                Remember(structure, frame, ListTable(FirewallRuleset.InetTable) + tables.Bridge);
                return true;
            }
        }

        // One transaction: the old tables (if any) go and the new ones come at once; no instant without rules.
        kernel.Nftables.Run(
            $"add table {FirewallRuleset.InetTable}\ndelete table {FirewallRuleset.InetTable}\n" +
            $"add table {FirewallRuleset.BridgeTable}\ndelete table {FirewallRuleset.BridgeTable}\n" +
            structure + FirewallElements.From(store));
        Remember(structure, frame, ListStructure() ?? "");
        return true;
    }

    /// <summary>What was applied, and what the kernel lists for it (so a change by hand is noticed and repaired).</summary>
    private void Remember(string structure, string frame, string listing)
    {
        store.SaveSetting(SourceSetting, structure);
        store.SaveSetting(FrameSetting, frame);
        store.SaveSetting(ListingSetting, listing);
    }

    /// <summary>
    /// Makes the per-VM and per-forward elements exactly what the state calls for, in one transaction
    /// (reconcile). Returns whether anything differed.
    /// </summary>
    public bool SyncElements()
    {
        var before = ListElements();
        kernel.Nftables.Run(
            $"flush set {FirewallRuleset.BridgeTable} {FirewallRuleset.VmMacs}\n" +
            $"flush set {FirewallRuleset.BridgeTable} {FirewallRuleset.VmAddresses}\n" +
            $"flush set {FirewallRuleset.BridgeTable} {FirewallRuleset.VmIpv6Addresses}\n" +
            $"flush set {FirewallRuleset.BridgeTable} {FirewallRuleset.VmNeighbourTargets}\n" +
            $"flush map {FirewallRuleset.InetTable} {FirewallRuleset.PortForwards}\n" + FirewallElements.From(store));
        return ListElements() != before;
    }

    private string ListElements()
        => kernel.Nftables.Run($"list set {FirewallRuleset.BridgeTable} {FirewallRuleset.VmMacs}") +
           kernel.Nftables.Run($"list set {FirewallRuleset.BridgeTable} {FirewallRuleset.VmAddresses}") +
           kernel.Nftables.Run($"list set {FirewallRuleset.BridgeTable} {FirewallRuleset.VmIpv6Addresses}") +
           kernel.Nftables.Run($"list set {FirewallRuleset.BridgeTable} {FirewallRuleset.VmNeighbourTargets}") +
           kernel.Nftables.Run($"list map {FirewallRuleset.InetTable} {FirewallRuleset.PortForwards}");

    /// <summary>Lets a VM's frames through anti-spoofing: its port, MAC and address.</summary>
    public void AddVm(VmFirewallEntry vm) => kernel.Nftables.Run(FirewallRuleset.AddVm(vm));

    /// <summary>
    /// Removes a VM's elements in one transaction; when one of them is already gone (a crash cut a delete
    /// short), the rest go one by one, and those already gone count as removed.
    /// </summary>
    public void RemoveVm(VmFirewallEntry vm)
    {
        var commands = FirewallRuleset.DeleteVm(vm);
        try
        {
            kernel.Nftables.Run(commands);
        }
        catch (NftablesException error) when (error.Errno == Errno.ENOENT)
        {
            RunTolerant(commands);
        }
    }

    public void AddForward(PortForward forward) => kernel.Nftables.Run(FirewallRuleset.AddForward(forward));

    public void RemoveForward(PortForward forward) => RunTolerant(FirewallRuleset.DeleteForward(forward));

    public bool IsPresent() => BothTablesExist();

    /// <summary>
    /// The elements of one of the bridge table's anti-spoofing sets (<see cref="FirewallRuleset.VmMacs"/>,
    /// <see cref="FirewallRuleset.VmAddresses"/>), each as its concatenated parts: port, MAC[, IPv4]. For doctor.
    /// <c>nft -j list set bridge fireline SET</c>
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> ListVmElements(string set)
    {
        using var listing = kernel.Nftables.ListJson($"list set {FirewallRuleset.BridgeTable} {set}");
        return [.. listing.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(item => item.TryGetProperty("set", out _))
            .SelectMany(item => item.GetProperty("set").TryGetProperty("elem", out var elements) ? elements.EnumerateArray() : default)
            .Select(element => (IReadOnlyList<string>)[.. element.GetProperty("concat").EnumerateArray().Select(part => part.ToString())])];
    }

    /// <summary>Whether the NAT chain masquerades traffic leaving through <paramref name="uplink"/>. <c>nft list chain inet fireline postrouting</c></summary>
    public bool Masquerades(string uplink)
        => kernel.Nftables.ListTerse($"list chain {FirewallRuleset.InetTable} postrouting")
            .Split('\n').Any(line => line.Contains($"oifname \"{uplink}\"", StringComparison.Ordinal) && line.TrimEnd().EndsWith("masquerade", StringComparison.Ordinal));

    /// <summary>
    /// Both tables without their elements, or null when either is missing. A table at a time: libnftables then
    /// reads only that table from the kernel (elements included, so the bridge table's read grows with the VMs),
    /// where <c>list tables</c> would read the whole ruleset.
    /// </summary>
    private string? ListStructure() => ListTables() is { } tables ? tables.Inet + tables.Bridge : null;

    private (string Inet, string Bridge)? ListTables()
    {
        try
        {
            return (ListTable(FirewallRuleset.InetTable), ListTable(FirewallRuleset.BridgeTable));
        }
        catch (NftablesException) when (!BothTablesExist())
        {
            // libnftables reports a missing table as a lookup error without errno: asking which tables exist tells.
            return null;
        }
    }

    private string ListTable(string table) => kernel.Nftables.ListTerse($"list table {table}");

    private bool BothTablesExist()
    {
        using var tables = kernel.Nftables.ListJson("list tables");
        return tables.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(item => item.TryGetProperty("table", out _))
            .Select(item => item.GetProperty("table"))
            .Count(table => table.GetProperty("name").GetString() == "fireline" && table.GetProperty("family").GetString() is "inet" or "bridge") == 2;
    }

    /// <summary>Deletes elements one command at a time, so one already gone does not keep the others.</summary>
    private void RunTolerant(string commands)
    {
        foreach (var command in commands.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                kernel.Nftables.Run(command);
            }
            catch (NftablesException error) when (error.Errno == Errno.ENOENT)
            {
                // Not there: the state the caller wants.
            }
        }
    }
}
