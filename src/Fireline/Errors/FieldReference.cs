using System.Text.RegularExpressions;

namespace Fireline.Errors;

/// <summary>
/// How a domain message names an input field: in backquotes (<c>`hostPort`</c>), so each front end can show it in
/// its own terms: the API as it is (its callers send <c>hostPort</c>), the CLI as its flag (<c>--host-port</c>). The
/// domain never spells a flag; <see cref="FirelineException.Field"/> stays the field's name either way.
/// </summary>
public static partial class FieldReference
{
    /// <summary>The field as a message names it.</summary>
    public static string Of(string field) => $"`{field}`";

    /// <summary>The message with each field it names spelled by <paramref name="spell"/>; a field it has no spelling for stays as it is.</summary>
    public static string Respell(string message, Func<string, string?> spell)
        => Reference().Replace(message, match => spell(match.Groups[1].Value) ?? match.Value);

    [GeneratedRegex(@"`([A-Za-z][A-Za-z0-9]*)`")]
    private static partial Regex Reference();
}
