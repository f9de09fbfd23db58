using System.Text;
using Fireline.State;

namespace Fireline.Firewall;

/// <summary>
/// Networks' chains as nft would list them, for people reading a plan (<c>network apply --dry-run</c>). Never
/// parsed: the kernel gets the rules as netlink expressions.
/// </summary>
public static class FirewallText
{
    public static string Describe(HostState host, IReadOnlyList<NetworkSpec> networks)
    {
        var text = new StringBuilder($"table {FirewallTables.Inet} {{\n");
        foreach (var network in networks.Select(n => new NetworkFirewall(n, host)))
        {
            foreach (var chain in network.Chains)
            {
                text.Append($"\tchain {chain.Name} {{\n");
                foreach (var rule in network.Rules.Where(r => r.Chain == chain))
                {
                    text.Append($"\t\t{rule}\n");
                }

                text.Append("\t}\n");
            }
        }

        return text.Append("}\n").ToString();
    }
}
