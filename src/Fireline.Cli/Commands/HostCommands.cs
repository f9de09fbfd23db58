using System.CommandLine;
using Fireline.Cli.Output;
using Fireline.Host;

namespace Fireline.Cli.Commands;

/// <summary><c>fireline host init|status|tune</c></summary>
internal static class HostCommands
{
    public static Command Create()
    {
        var host = new Command("host", "Host prerequisites: forwarding, the default network's bridge, NAT");
        host.Subcommands.Add(Init());
        host.Subcommands.Add(Status());
        host.Subcommands.Add(TuneCommand.Create());
        return host;
    }

    private static Command Init()
    {
        var uplink = new Option<string?>("--uplink") { Description = "Interface NAT goes out of (default: the default route's)", HelpName = "IF" };
        var bridge = new Option<string>("--bridge") { Description = "Bridge of the default network", DefaultValueFactory = _ => HostInitRequest.DefaultBridge, HelpName = "NAME" };
        var subnet = new Option<string>("--subnet") { Description = "Subnet of the default network", DefaultValueFactory = _ => HostInitRequest.DefaultSubnet, HelpName = "CIDR" };
        var noNat = new Option<bool>("--no-nat") { Description = "Do not masquerade the network's traffic out of the uplink" };
        var ipv6 = new Option<string?>("--ipv6-prefix") { Description = "Make the default network dual stack with this IPv6 prefix (/48-/96)", HelpName = "CIDR" };
        var command = new Command("init", "Set up the host: forwarding, the default network, NAT (idempotent)") { uplink, bridge, subnet, noNat, ipv6 };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            var status = service.InitHost(new HostInitRequest
            {
                Uplink = parse.GetValue(uplink),
                Bridge = parse.GetValue(bridge)!,
                Subnet = parse.GetValue(subnet)!,
                Nat = !parse.GetValue(noNat),
                Ipv6Prefix = parse.GetValue(ipv6),
            });
            printer.Print(status, CliJson.Output.HostStatus, PrintStatus);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "What is set up on the host");
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            printer.Print(service.GetHostStatus(), CliJson.Output.HostStatus, PrintStatus);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void PrintStatus(HostStatus status, TextWriter output)
    {
        if (!status.Initialized)
        {
            output.WriteLine("host: not initialized (run 'fireline host init')");
            return;
        }

        output.WriteLine($"uplink: {status.Uplink ?? "none"}   nat: {(status.Nat ? "on" : "off")}   forwarding: {(status.Forwarding ? "on" : "off")}   firewall table: {(status.FirewallTable ? "present" : "missing")}");
        var table = new Table("NETWORK", "SUBNET", "GATEWAY", "BRIDGE", "STATE", "NAT", "VMS", "CAPACITY");
        foreach (var n in status.Networks)
        {
            table.Add(n.Name, n.Subnet, n.Gateway, n.Bridge, n.BridgeUp ? "up" : "down", n.Nat ? "on" : "off",
                n.Vms.ToString(System.Globalization.CultureInfo.InvariantCulture), n.Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        table.WriteTo(output);
    }
}
