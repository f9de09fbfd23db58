using System.Diagnostics;

namespace Fireline.TestSupport;

/// <summary>Runs an outside program (ip, nft, ping) as an independent observer or to build test fixtures.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs the program and returns its output; throws when it exits non-zero.</summary>
    public static string Run(string program, params string[] arguments)
    {
        var result = TryRun(program, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    /// <summary>Runs the program and returns exit code and output, whatever the exit code.</summary>
    public static Result TryRun(string program, params string[] arguments) => TryRun(program, arguments, TimeSpan.FromSeconds(60));

    public static Result TryRun(string program, IReadOnlyList<string> arguments, TimeSpan timeout, string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        // Process.Dispose leaves a redirected stream that was read or written directly open (it is the caller's):
        // a pipe per stream until the garbage collector gets to it, over a thousand of them in a test run.
        using var output = process.StandardOutput;
        using var error = process.StandardError;
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        var outputText = output.ReadToEndAsync();
        var errorText = error.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in {timeout}");
        }

        return new Result(process.ExitCode, outputText.Result, errorText.Result);
    }
}
