using System.Globalization;
using System.Text;

namespace Fireline.Errors;

/// <summary>
/// A caller's text as Fireline's messages show it. Errors echo what was refused, and they end up in terminals,
/// API answers and log lines: printable ASCII is shown as it is, everything else escaped (<c>\n</c>, <c>\0</c>,
/// <c>\u00e9</c>), and long text cut, so an echoed value can never add a line to a log, move a terminal's cursor
/// or fill a screen.
/// </summary>
public static class UserText
{
    /// <summary>The most characters of a value a message shows.</summary>
    public const int MaxShown = 64;

    /// <summary>The text in single quotes, escaped and cut (<c>'a\nb'</c>).</summary>
    public static string Quote(string? text) => $"'{Escape(text)}'";

    /// <summary>The text escaped and cut, without quotes (for a key inside a field path).</summary>
    public static string Escape(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var shown = new StringBuilder(Math.Min(text.Length, MaxShown) + 8);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxShown)))
        {
            shown.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                '\\' => "\\\\",
                '\'' => "\\'",
                '`' => "\\u0060", // backquotes mark a field a message names (FieldReference): never in a caller's text
                _ when c is >= ' ' and <= '~' => c.ToString(),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            });
        }

        if (text.Length > MaxShown)
        {
            shown.Append(CultureInfo.InvariantCulture, $"... ({text.Length:N0} characters)");
        }

        return shown.ToString();
    }
}
