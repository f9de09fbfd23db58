using System.CommandLine;
using Fireline.Cli.Output;

namespace Fireline.Cli.Commands;

/// <summary><c>fireline reconcile</c></summary>
internal static class ReconcileCommand
{
    public static Command Create()
    {
        var command = new Command("reconcile", "Finish or undo interrupted operations, remove orphans; prints what it did");
        command.SetAction(parse => CommandRunner.Run(parse, (service, printer) =>
        {
            printer.Print(service.Reconcile(), CliJson.Output.ReconcileReport, (report, output) =>
            {
                if (report.Actions.Count == 0)
                {
                    output.WriteLine("nothing to do: state and kernel agree");
                    return;
                }

                var table = new Table("ACTION", "SUBJECT", "DETAIL");
                foreach (var action in report.Actions)
                {
                    table.Add(action.Action, action.Subject, action.Detail);
                }

                table.WriteTo(output);
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}
