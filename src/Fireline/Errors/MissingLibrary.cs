using System.Text.RegularExpressions;

namespace Fireline.Errors;

/// <summary>
/// A native library Fireline loads that this machine lacks (the runtime's <see cref="DllNotFoundException"/>,
/// perhaps inside the type initializer that tried to load it), as a domain error that names the library and how
/// to get it, instead of an unhandled exception and a stack trace.
/// </summary>
public static partial class MissingLibrary
{
    /// <summary>How to get each library Fireline loads, by the name it loads it by.</summary>
    private static readonly Dictionary<string, string> Remedies = new(StringComparer.Ordinal)
    {
        ["e_sqlite3"] = "SQLite's library libe_sqlite3.so belongs beside the fireline binary: install it from the same build (artifacts/fireline/libe_sqlite3.so)",
    };

    /// <summary>The domain error for a failure to load a native library; null when <paramref name="error"/> is something else.</summary>
    public static FirelineException? Explain(Exception error)
    {
        for (var cause = error; cause is not null; cause = cause.InnerException)
        {
            if (cause is DllNotFoundException missing)
            {
                // The runtime's message names the library: in quotes in its own words ("Unable to load shared library
                // 'X' ..."), as the argument after a resource key where a build keeps keys only (NativeAOT with
                // UseSystemResourceKeys: "DllNotFound_Linux, X, ..."), followed by the loader's search path.
                var library = Remedies.Keys.FirstOrDefault(name => missing.Message.Contains(name, StringComparison.Ordinal))
                    ?? (QuotedName().Match(missing.Message) is { Success: true } match ? match.Groups[1].Value : "a native library");
                return DomainErrors.MissingLibrary(library, Remedies.GetValueOrDefault(library) ?? $"install the package that provides {library}", missing);
            }
        }

        return null;
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedName();
}
