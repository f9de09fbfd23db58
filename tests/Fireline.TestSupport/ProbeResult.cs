using System.Globalization;

namespace Fireline.TestSupport;

/// <summary>One <c>PROBE &lt;step&gt; OK|FAIL &lt;detail&gt;</c> line of a guest's console.</summary>
public sealed record ProbeResult(string Step, bool Ok, string Detail)
{
    /// <summary>Parses a PROBE line; null for any other line.</summary>
    public static ProbeResult? Parse(string line)
    {
        var parts = line.Split(' ', 4);
        if (parts.Length < 3 || parts[0] != "PROBE" || parts[2] is not ("OK" or "FAIL"))
        {
            return null;
        }

        return new ProbeResult(parts[1], parts[2] == "OK", parts.Length == 4 ? parts[3] : "");
    }

    /// <summary>A <c>key=value</c> number of the detail, as <c>send-tcp</c> reports <c>ms=</c>.</summary>
    public long Number(string key)
    {
        var field = Detail.Split(' ').SingleOrDefault(f => f.StartsWith(key + "=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no {key}= in \"{Detail}\" of {Step}");
        return long.Parse(field.AsSpan(key.Length + 1), CultureInfo.InvariantCulture);
    }
}
