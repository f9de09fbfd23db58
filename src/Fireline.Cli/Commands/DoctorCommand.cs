using System.CommandLine;
using Fireline.Cli.Output;
using Fireline.Doctor;

namespace Fireline.Cli.Commands;

/// <summary><c>fireline doctor [VMID]</c>: exit 0 when every check passes, 1 when any fails.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("VMID") { Description = "Check the host and this VM only (default: the host and every VM)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("doctor", "Run the troubleshooting checklist; each failed check names its fix (exit 1 when any fails)") { id };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            var report = service.Doctor(parse.GetValue(id));
            printer.Print(report, CliJson.Output.DoctorReport, Write);
            return report.Healthy ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }

    private static void Write(DoctorReport report, TextWriter output)
    {
        var table = new Table("SCOPE", "CHECK", "STATUS", "DETAIL");
        foreach (var check in report.Checks)
        {
            table.Add(check.Scope, check.Check, check.Status.ToString().ToLowerInvariant(), check.Fix is null ? check.Detail : $"{check.Detail}; fix: {check.Fix}");
        }

        table.WriteTo(output);
        output.WriteLine(report.Healthy ? "all checks pass" : $"{report.Failed} check(s) failed");
    }
}
