using System.CommandLine;
using Fireline.Cli.Output;
using Fireline.Tuning;

namespace Fireline.Cli.Commands;

/// <summary><c>fireline host tune [--apply] [--write]</c></summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var apply = new Option<bool>("--apply") { Description = "Set what falls short of the profile (only raises values; idempotent)" };
        // A flag, not a path: the file is always TuningFile's, so no caller can point root's write at another file.
        var write = new Option<bool>("--write") { Description = $"Write the profile to {TuningFile.SystemDirectory}/{TuningFile.Name} (replaced whole), applied at every boot" };
        var command = new Command("tune", "The sysctl tuning profile as a diff against the host namespace") { apply, write };
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            printer.Print(service.Tune(parse.GetValue(apply), parse.GetValue(write)), CliJson.Output.TuneReport, Write);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Write(TuneReport report, TextWriter output)
    {
        var table = new Table("KEY", "SCOPE", "CURRENT", "WANTED", "STATUS");
        foreach (var s in report.Settings)
        {
            table.Add(s.Key, s.Scope == SysctlScope.Machine ? "machine" : "namespace", s.Current?.Replace('\t', ' '), s.Wanted, s.Status.ToString().ToLowerInvariant());
        }

        table.WriteTo(output);
        if (!report.MachineNamespace && report.Settings.Any(s => s.Scope == SysctlScope.Machine && s.Status is TuneStatus.Differs or TuneStatus.Skipped))
        {
            output.WriteLine("machine-wide keys are set only from the machine's own namespace (or at boot from the --write file)");
        }

        if (report.File is not null)
        {
            output.WriteLine($"wrote {report.File}");
        }
    }
}
