using System.CommandLine;
using System.Globalization;
using Fireline.Cli.Configuration;
using Fireline.Cli.Output;
using Fireline.Errors;
using Fireline.Networks;
using Fireline.Policy;

namespace Fireline.Cli.Commands;

/// <summary><c>fireline network apply|list|show|delete</c></summary>
internal static class NetworkCommands
{
    public static Command Create()
    {
        var network = new Command("network", "Declarative networks and their policies (the design document's network-config.yaml)");
        network.Subcommands.Add(Apply());
        network.Subcommands.Add(List());
        network.Subcommands.Add(Show());
        network.Subcommands.Add(Delete());
        return network;
    }

    private static Command Apply()
    {
        var file = new Option<string>("--file", "-f") { Description = "The networks file (YAML); '-' reads standard input", Required = true, HelpName = "FILE" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (networks, rules) and change nothing" };
        var prune = new Option<bool>("--prune") { Description = "Also delete networks the file does not name (refused while VMs use them)" };
        var command = new Command("apply", "Create or update networks and policies from a file; the same file twice changes nothing") { file, dryRun, prune };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            var yaml = ReadFile(parse.GetValue(file)!, "--file");
            printer.Print(service.ApplyNetworks(yaml, parse.GetValue(dryRun), parse.GetValue(prune)), CliJson.Output.NetworkPlan, PrintPlan);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>A document file's text (<c>-</c>: standard input), bounded; refusals name <paramref name="option"/>.</summary>
    internal static string ReadFile(string path, string option)
    {
        string? text;
        try
        {
            text = DocumentFile.Read(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw DomainErrors.InvalidInput(option, $"{option}: cannot read {path}: {error.Message}");
        }

        return text ?? throw DomainErrors.InvalidInput(option, $"{option}: {DocumentFile.TooLarge(path)}");
    }

    /// <summary>Policy rules as a table (a network's, a VM's).</summary>
    internal static void WritePolicies(IReadOnlyList<PolicyRule> policies, TextWriter output)
    {
        var rules = new Table("POLICY", "DIRECTION", "PROTOCOL", "PORT", "SOURCE", "DESTINATION", "ACTION");
        foreach (var r in policies)
        {
            rules.Add(r.Name, r.Direction.ToString().ToLowerInvariant(), r.Protocol ?? "any",
                r.PortFrom is { } p ? (p == r.PortTo ? $"{p}" : $"{p}-{r.PortTo}") : "any", r.Source ?? "any", r.Destination ?? "any",
                r.Action.ToString().ToLowerInvariant());
        }

        output.WriteLine();
        rules.WriteTo(output);
    }

    private static Command List()
    {
        var command = new Command("list", "Every network with its use");
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            printer.Print(service.ListNetworks(), CliJson.Output.IReadOnlyListNetworkView, (networks, output) =>
            {
                var table = new Table("NETWORK", "SUBNET", "GATEWAY", "BRIDGE", "NAT", "POLICIES", "VMS", "CAPACITY");
                foreach (var n in networks)
                {
                    table.Add(n.Name, n.Subnet, n.Gateway, n.Bridge, n.Nat ? "on" : "off", n.Policies.Count.ToString(CultureInfo.InvariantCulture),
                        n.Vms.ToString(CultureInfo.InvariantCulture), n.Capacity.ToString(CultureInfo.InvariantCulture));
                }

                table.WriteTo(output);
            });
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show()
    {
        var name = new Argument<string>("NAME") { Description = "The network" };
        var command = new Command("show", "One network: declaration, policies, use") { name };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            printer.Print(service.GetNetwork(parse.GetValue(name)!), CliJson.Output.NetworkView, PrintView);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Delete()
    {
        var name = new Argument<string>("NAME") { Description = "The network" };
        var command = new Command("delete", "Delete a network (refused while VMs use it)") { name };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            printer.Print(service.DeleteNetwork(parse.GetValue(name)!), CliJson.Output.NetworkView, (n, output) => output.WriteLine($"deleted network {n.Name}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void PrintPlan(NetworkPlan plan, TextWriter output)
    {
        output.WriteLine(plan.DryRun ? "plan (dry run: nothing changed):" : "applied:");
        foreach (var change in plan.Changes)
        {
            output.WriteLine($"  {change.Action} network {change.Network}");
            foreach (var detail in change.Details)
            {
                output.WriteLine($"      {detail}");
            }
        }

        if (plan.DryRun)
        {
            output.WriteLine();
            output.WriteLine("nftables rules:");
            output.Write(plan.Firewall);
        }
    }

    private static void PrintView(NetworkView n, TextWriter output)
    {
        new Table("FIELD", "VALUE")
            .Add("name", n.Name)
            .Add("subnet", n.Subnet)
            .Add("gateway", n.GatewayOutside ? $"{n.Gateway} (outside the host)" : n.Gateway)
            .Add("bridge", n.Bridge)
            .Add("vlan", n.Vlan?.ToString(CultureInfo.InvariantCulture))
            .Add("nat", n.Nat ? "on" : "off")
            .Add("dns", n.Dns.Count == 0 ? null : string.Join(", ", n.Dns))
            .Add("default ingress", n.DefaultIngress.ToString().ToLowerInvariant())
            .Add("default egress", n.DefaultEgress.ToString().ToLowerInvariant())
            .Add("rate limiter", n.RateLimiter)
            .Add("vms", $"{n.Vms.ToString(CultureInfo.InvariantCulture)} of {n.Capacity.ToString(CultureInfo.InvariantCulture)}")
            .WriteTo(output);
        if (n.Policies.Count > 0)
        {
            WritePolicies(n.Policies, output);
        }
    }
}
