using System.Text;
using Fireline.Kernel;
using Fireline.Linux.Nftables;
using Fireline.State;

namespace Fireline.Host;

/// <summary>
/// Fireline's own nftables table, <c>inet fireline</c>, in the host namespace: never a rule in anybody
/// else's table. The table is rendered whole from state and replaced in one transaction when it differs from
/// what was last applied (or someone changed it), so a second apply of the same state changes nothing.
/// </summary>
public sealed class Firewall(HostKernel kernel, IStateStore store)
{
    public const string Family = "inet";
    public const string Table = "fireline";
    private const string SourceSetting = "firewall.source";
    private const string ListingSetting = "firewall.listing";

    /// <summary>The table as text (the input of <c>nft -f</c>): masquerade from NAT networks out of the uplink.</summary>
    public static string Render(HostState host, IReadOnlyList<NetworkSpec> networks)
    {
        var natSubnets = networks.Where(n => n.Nat).Select(n => n.Subnet).Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.Append($"table {Family} {Table} {{\n");
        text.Append("\tset nat_sources {\n\t\ttype ipv4_addr\n\t\tflags interval\n");
        if (natSubnets.Count > 0)
        {
            text.Append($"\t\telements = {{ {string.Join(", ", natSubnets)} }}\n");
        }

        text.Append("\t}\n\n");
        text.Append("\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        if (host.Nat)
        {
            text.Append($"\t\toifname \"{host.Uplink}\" ip saddr @nat_sources masquerade\n");
        }

        text.Append("\t}\n}\n");
        return text.ToString();
    }

    /// <summary>Applies the rendered table unless the kernel already holds exactly what was last applied. Returns whether it changed.</summary>
    public bool Ensure(HostState host, IReadOnlyList<NetworkSpec> networks)
    {
        var source = Render(host, networks);
        var listing = List();
        if (listing is not null && source == store.GetSetting(SourceSetting) && listing == store.GetSetting(ListingSetting))
        {
            return false;
        }

        // One transaction: the old table (if any) goes and the new one comes at once; no instant without NAT.
        kernel.Nftables.Run($"add table {Family} {Table}\ndelete table {Family} {Table}\n{source}");
        store.SaveSetting(SourceSetting, source);
        store.SaveSetting(ListingSetting, List() ?? "");
        return true;
    }

    public bool IsPresent() => List() is not null;

    /// <summary><c>nft list table inet fireline</c>, or null when the table is missing.</summary>
    private string? List()
    {
        try
        {
            return kernel.Nftables.Run($"list table {Family} {Table}");
        }
        catch (NftablesException)
        {
            return null; // the table is missing: Ensure creates it, IsPresent says so
        }
    }
}
