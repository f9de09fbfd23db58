using System.CommandLine;
using Fireline.Cli.Output;
using Fireline.Errors;
using Fireline.Service;

namespace Fireline.Cli;

/// <summary>Runs a command body against the service and turns every failure into its exit code, in one place.</summary>
internal static class CommandRunner
{
    public static int Run(ParseResult parse, Func<IFirelineService, Printer, int> body)
        => Guard(parse, printer =>
        {
            using var session = ServiceSession.Open(parse);
            return body(session.Service, printer);
        });

    /// <summary>Runs a body that opens what it needs itself (<c>serve</c>), printing its failures like every command's.</summary>
    public static int Guard(ParseResult parse, Func<Printer, int> body)
    {
        var printer = new Printer(GlobalOptions.FormatOf(parse), Console.Out, Console.Error);
        try
        {
            return body(printer);
        }
        catch (FirelineException failure)
        {
            return printer.Fail(failure);
        }
    }

    /// <summary>Bad usage found before any work: printed like every other error, exit code 2.</summary>
    public static int Usage(ParseResult parse, string field, string message)
        => new Printer(GlobalOptions.FormatOf(parse), Console.Out, Console.Error).Fail(DomainErrors.InvalidInput(field, message));
}
