using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fireline.Errors;

namespace Fireline.Cli.Output;

/// <summary>Writes results to stdout and errors to stderr in the chosen format.</summary>
internal sealed class Printer(OutputFormat format, TextWriter output, TextWriter error)
{
    public OutputFormat Format { get; } = format;

    /// <summary>Prints a result: JSON as is, or the table the caller renders.</summary>
    public void Print<T>(T value, JsonTypeInfo<T> type, Action<T, TextWriter> table)
    {
        if (Format == OutputFormat.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(value, type));
        }
        else
        {
            table(value, output);
        }
    }

    /// <summary>
    /// Prints an error and returns the exit code: 2 for bad input, 1 for everything else. The message names fields as
    /// the CLI's flags; <c>field</c> stays the field's name.
    /// </summary>
    public int Fail(FirelineException failure)
    {
        var message = FlagNames.Spell(failure.Message);
        if (Format == OutputFormat.Json)
        {
            error.WriteLine(JsonSerializer.Serialize(new ErrorDocument(new ErrorBody(failure.Code, message, failure.Field)), CliJson.Output.ErrorDocument));
        }
        else
        {
            error.WriteLine($"fireline: {message}");
        }

        return failure.Kind == ErrorKind.InvalidInput ? ExitCodes.BadInput : ExitCodes.Failure;
    }
}

/// <summary>The CLI's exit codes (DESIGN.md).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
}
