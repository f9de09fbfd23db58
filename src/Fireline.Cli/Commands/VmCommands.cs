using System.CommandLine;
using System.Globalization;
using Fireline.Cli.Output;
using Fireline.Policy;
using Fireline.Vms;

namespace Fireline.Cli.Commands;

/// <summary><c>fireline vm create|delete|show|list</c></summary>
internal static class VmCommands
{
    public static Command Create()
    {
        var vm = new Command("vm", "VM networks: namespace, veth, TAP, address");
        vm.Subcommands.Add(CreateCommand());
        vm.Subcommands.Add(Delete());
        vm.Subcommands.Add(Show());
        vm.Subcommands.Add(List());
        vm.Subcommands.Add(Forward());
        vm.Subcommands.Add(Limit());
        vm.Subcommands.Add(PolicyCommand());
        vm.Subcommands.Add(AttachCommand.Create());
        return vm;
    }

    private static Argument<string> VmIdArgument() => new("VMID") { Description = "1-64 characters of [A-Za-z0-9_.-], starting with a letter or digit" };

    private static Command CreateCommand()
    {
        var id = VmIdArgument();
        var network = new Option<string?>("--network") { Description = "Network to join (default: default)", HelpName = "N" };
        var ipv6 = new Option<bool>("--ipv6") { Description = "Give the VM an IPv6 address too (the network needs an IPv6 prefix)" };
        var tapOwner = new Option<uint?>("--tap-owner") { Description = "User id allowed to open the TAP (a jailed Firecracker)", HelpName = "UID" };
        var tapGroup = new Option<uint?>("--tap-group") { Description = "Group id allowed to open the TAP", HelpName = "GID" };
        var sriov = new Option<string?>("--sriov") { Description = "Give the VM an SR-IOV VF of this physical function ('any': of any), as vf0 in its namespace", HelpName = "PF|any" };
        var policyFile = new Option<string?>("--policy-file") { Description = "The VM's own policy rules (YAML with a 'policies:' list like a network's); '-' reads standard input", HelpName = "FILE" };
        var limits = new LimitOptions();
        var command = new Command("create", "Give a VM its network; prints the VM record (idempotent for the same id and options)") { id, network, ipv6, tapOwner, tapGroup, sriov, policyFile };
        limits.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            var record = service.CreateVm(new VmCreateRequest
            {
                VmId = parse.GetValue(id)!,
                Network = parse.GetValue(network),
                RateLimits = limits.Read(parse),
                Ipv6 = parse.GetValue(ipv6),
                TapOwner = parse.GetValue(tapOwner),
                TapGroup = parse.GetValue(tapGroup),
                Sriov = parse.GetValue(sriov),
                Policies = parse.GetValue(policyFile) is { } path ? PolicyFile(path, "--policy-file") : null,
            });
            printer.Print(record, CliJson.Output.VmRecord, PrintRecord);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Limit()
    {
        var id = VmIdArgument();
        var clear = new Option<bool>("--clear") { Description = "Remove every limit" };
        var limits = new LimitOptions();
        var command = new Command("limit", "Change a VM's rate limits (tc networks: at once; Firecracker: on the next vm attach)") { id, clear };
        limits.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            var wanted = limits.Read(parse);
            if (wanted is null == !parse.GetValue(clear))
            {
                throw Errors.DomainErrors.InvalidInput("--clear", "give the new limits, or --clear to remove them all");
            }

            printer.Print(service.SetRateLimits(parse.GetValue(id)!, wanted), CliJson.Output.VmRecord, PrintRecord);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command PolicyCommand()
    {
        var id = VmIdArgument();
        var file = new Option<string?>("--file", "-f") { Description = "The VM's rules (YAML with a 'policies:' list like a network's); '-' reads standard input", HelpName = "FILE" };
        var clear = new Option<bool>("--clear") { Description = "Remove the VM's own rules (its network's stay)" };
        var command = new Command("policy", "Set a VM's own policy rules, evaluated before its network's (one transaction on that VM's chain)") { id, file, clear };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            var path = parse.GetValue(file);
            if (path is null == !parse.GetValue(clear))
            {
                throw Errors.DomainErrors.InvalidInput("--file", "give the rules with --file, or --clear to remove them");
            }

            var rules = path is null ? [] : PolicyFile(path, "--file");
            printer.Print(service.SetVmPolicies(parse.GetValue(id)!, rules), CliJson.Output.VmRecord, PrintRecord);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>A policy file's rules, read and checked here (and again by the engine, whoever calls it).</summary>
    private static IReadOnlyList<PolicyRule> PolicyFile(string path, string option)
        => Networks.VmPolicyDocument.ParseYaml(NetworkCommands.ReadFile(path, option));

    private static Command Delete()
    {
        var id = VmIdArgument();
        var command = new Command("delete", "Remove everything of a VM's network (succeeds when it is already gone)") { id };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            var result = service.DeleteVm(parse.GetValue(id)!);
            printer.Print(result, CliJson.Output.VmDeleteResult,
                (r, output) => output.WriteLine(r.Deleted ? $"deleted vm {r.VmId}" : $"vm {r.VmId} was already gone"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = VmIdArgument();
        var command = new Command("show", "Print a VM's record") { id };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            printer.Print(service.GetVm(parse.GetValue(id)!), CliJson.Output.VmRecord, PrintRecord);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "Print every VM's record");
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            printer.Print(service.ListVms(), CliJson.Output.IReadOnlyListVmRecord, (records, output) =>
            {
                var table = new Table("VMID", "NETWORK", "IPV4", "MAC", "HOST VETH", "STATE");
                foreach (var r in records)
                {
                    table.Add(r.VmId, r.Network, $"{r.Ipv4.Address}/{r.Ipv4.PrefixLength.ToString(CultureInfo.InvariantCulture)}", r.GuestMac, r.HostVeth, r.State);
                }

                table.WriteTo(output);
            });
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Forward()
    {
        var id = VmIdArgument();
        var hostPort = new Option<int>("--host-port") { Description = "Port on the host's uplink address", Required = true, HelpName = "P" };
        var vmPort = new Option<int>("--vm-port") { Description = "Port of the VM it goes to", Required = true, HelpName = "P" };
        var protocol = new Option<string>("--proto") { Description = "tcp or udp", DefaultValueFactory = _ => "tcp", HelpName = "tcp|udp" };
        var privileged = new Option<bool>("--allow-privileged-port") { Description = "Allow a host port below 1024 (where the host's own services live)" };
        var command = new Command("forward", "Forward a host port to a VM port (DNAT, subject to the VM's ingress policy)") { id, hostPort, vmPort, protocol, privileged };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            var forward = service.ForwardPort(parse.GetValue(id)!, new ForwardRequest
            {
                Protocol = ForwardProtocols.Parse(parse.GetValue(protocol)),
                HostPort = parse.GetValue(hostPort),
                VmPort = parse.GetValue(vmPort),
                AllowPrivilegedPort = parse.GetValue(privileged),
            });
            printer.Print(forward, CliJson.Output.PortForward,
                (f, output) => output.WriteLine($"{f.Protocol.Name()} host port {f.HostPort} -> vm {f.VmId} ({f.VmAddress}) port {f.VmPort}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string? Describe(Firecracker.RateLimiter? limiter)
    {
        var parts = new List<string>();
        if (limiter?.Bandwidth is { } bandwidth)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{bandwidth.PerSecond:0} B/s"));
        }

        if (limiter?.Ops is { } ops)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{ops.PerSecond:0} ops/s"));
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static void PrintRecord(VmRecord r, TextWriter output)
    {
        var table = new Table("FIELD", "VALUE")
            .Add("vmId", r.VmId)
            .Add("network", r.Network)
            .Add("state", r.State)
            .Add("namespace", r.NetnsPath)
            .Add("tap", r.TapDevice)
            .Add("host veth", r.HostVeth)
            .Add("ipv4", $"{r.Ipv4.Address}/{r.Ipv4.PrefixLength.ToString(CultureInfo.InvariantCulture)} via {r.Ipv4.Gateway}")
            .Add("ipv6", r.Ipv6 is null ? null : $"{r.Ipv6.Address}/{r.Ipv6.PrefixLength.ToString(CultureInfo.InvariantCulture)} via {r.Ipv6.Gateway}")
            .Add("mac", r.GuestMac)
            .Add("rx limit", Describe(r.Firecracker.RxRateLimiter))
            .Add("tx limit", Describe(r.Firecracker.TxRateLimiter))
            .Add("boot args", r.BootArgs)
            .Add("jailer args", string.Join(' ', r.JailerArgs));
        table.WriteTo(output);
        if (r.Policies.Count > 0)
        {
            NetworkCommands.WritePolicies(r.Policies, output);
        }
    }
}
