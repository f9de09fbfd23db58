using System.Text;

namespace Fireline.Firecracker;

/// <summary>The guest kernel's command line, as Fireline adds its own arguments to a caller's.</summary>
public static class BootArgs
{
    /// <summary>Everything after this token goes to the guest's init, not to the kernel.</summary>
    private const string InitSeparator = "--";

    /// <summary>
    /// <paramref name="existing"/> with each of Fireline's arguments (<c>ip=...</c>) put in: an argument of the same
    /// name is replaced where it stood (further ones are dropped; the kernel would take the last), otherwise it is
    /// added before any <c>--</c>. Everything else, quoted values and init's arguments included, is kept as written.
    /// </summary>
    public static string Merge(string? existing, string firelineArgs)
    {
        var tokens = Split(existing ?? "");
        var separator = tokens.IndexOf(InitSeparator);
        List<string> kernel = separator < 0 ? tokens : tokens[..separator];
        List<string> init = separator < 0 ? [] : tokens[separator..];

        foreach (var argument in Split(firelineArgs))
        {
            var name = Name(argument);
            var first = kernel.FindIndex(t => Name(t) == name);
            if (first < 0)
            {
                kernel.Add(argument);
                continue;
            }

            kernel[first] = argument;
            for (var i = kernel.Count - 1; i > first; i--)
            {
                if (Name(kernel[i]) == name)
                {
                    kernel.RemoveAt(i);
                }
            }
        }

        return string.Join(' ', kernel.Concat(init));
    }

    /// <summary>Splits as the kernel does: on whitespace outside double quotes.</summary>
    private static List<string> Split(string commandLine)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in commandLine)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (char.IsWhiteSpace(c) && !quoted)
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }

                continue;
            }

            current.Append(c);
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    /// <summary>
    /// The parameter's name, quotes removed. <c>nfsaddrs=</c> is the kernel's older name for <c>ip=</c> (both set
    /// the same configuration), so it counts as <c>ip</c>.
    /// </summary>
    private static string Name(string token)
    {
        var equals = token.IndexOf('=', StringComparison.Ordinal);
        var name = (equals < 0 ? token : token[..equals]).Replace("\"", "", StringComparison.Ordinal);
        return name == "nfsaddrs" ? "ip" : name;
    }
}
