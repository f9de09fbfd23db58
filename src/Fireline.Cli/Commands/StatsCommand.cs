using System.CommandLine;
using System.Globalization;
using Fireline.Cli.Output;
using Fireline.Metrics;

namespace Fireline.Cli.Commands;

/// <summary><c>fireline stats [VMID]</c>: TAP counters, directions as the guest sees them (rx: received by the guest).</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("VMID") { Description = "One VM (default: every ready VM)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("stats", "Per-VM rx/tx bytes, packets, drops and errors (rx: what the guest received)") { id };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            if (parse.GetValue(id) is { } vmId)
            {
                printer.Print(service.GetStats(vmId), CliJson.Output.VmStats, (stats, output) => Write([stats], output));
            }
            else
            {
                printer.Print(service.ListStats(), CliJson.Output.IReadOnlyListVmStats, Write);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Write(IReadOnlyList<VmStats> stats, TextWriter output)
    {
        var table = new Table("VM", "NETWORK", "RX BYTES", "RX PACKETS", "RX DROPPED", "RX ERRORS", "TX BYTES", "TX PACKETS", "TX DROPPED", "TX ERRORS");
        foreach (var s in stats)
        {
            table.Add(s.VmId, s.Network, N(s.RxBytes), N(s.RxPackets), N(s.RxDropped), N(s.RxErrors), N(s.TxBytes), N(s.TxPackets), N(s.TxDropped), N(s.TxErrors));
        }

        table.WriteTo(output);
    }

    private static string N(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
