using System.CommandLine;
using Fireline.Cli.Output;
using Fireline.Errors;
using Fireline.Firecracker;

namespace Fireline.Cli.Commands;

/// <summary>
/// <c>fireline vm attach VMID --firecracker-socket PATH</c>: hands a VM's network to its Firecracker. The
/// VMM's state decides: before boot, the network interface (with rate limiters), MMDS when the network enables
/// metadata, and the boot source with Fireline's <c>ip=</c> merged in: the one named with <c>--kernel</c>, else
/// the one the VMM already has (none yet: reported, the guest's address must reach it another way); on a running
/// VM, a PATCH of the rate limiters only (all Firecracker allows).
/// </summary>
internal static class AttachCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("VMID") { Description = "The VM whose network to hand over" };
        var socket = new Option<string>("--firecracker-socket") { Description = "Firecracker's API socket", Required = true, HelpName = "PATH" };
        var kernel = new Option<string?>("--kernel") { Description = "Also PUT /boot-source with this kernel, Fireline's ip= merged into the boot args", HelpName = "PATH" };
        var bootArgs = new Option<string?>("--boot-args") { Description = "Boot arguments to merge Fireline's into (with --kernel)", HelpName = "ARGS" };
        var initrd = new Option<string?>("--initrd") { Description = "Initrd for the boot source (with --kernel)", HelpName = "PATH" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each Firecracker answer", DefaultValueFactory = _ => 5, HelpName = "SECONDS" };
        var command = new Command("attach", "Configure a Firecracker process for the VM's network (pre-boot PUT, running VM: PATCH of rate limits)")
            { id, socket, kernel, bootArgs, initrd, timeout };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            if (parse.GetValue(kernel) is null && (parse.GetValue(bootArgs) is not null || parse.GetValue(initrd) is not null))
            {
                throw DomainErrors.InvalidInput("--kernel", "--boot-args and --initrd describe a boot source: name its --kernel too");
            }

            if (parse.GetValue(timeout) is not (> 0 and <= 600))
            {
                throw DomainErrors.InvalidInput("--timeout", "--timeout is a number of seconds between 0 and 600");
            }

            var record = service.GetVm(parse.GetValue(id)!);
            var network = service.GetNetwork(record.Network);
            using var client = new FirecrackerClient(parse.GetValue(socket)!, TimeSpan.FromSeconds(parse.GetValue(timeout)));
            var result = client.Attach(new AttachRequest
            {
                Interface = record.Firecracker,
                BootArgs = record.BootArgs,
                BootSource = parse.GetValue(kernel) is { } image
                    ? new BootSource { KernelImagePath = image, BootArgs = parse.GetValue(bootArgs), InitrdPath = parse.GetValue(initrd) }
                    : null,
                Mmds = network.Metadata ? new MmdsConfig { NetworkInterfaces = [record.Firecracker.IfaceId] } : null,
            });
            printer.Print(result, CliJson.Output.AttachResult, (r, output) =>
            {
                output.WriteLine($"firecracker state: {r.State}");
                foreach (var request in r.Requests)
                {
                    output.WriteLine($"  sent    {request}");
                }

                foreach (var skipped in r.Skipped)
                {
                    output.WriteLine($"  skipped {skipped}");
                }
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}
