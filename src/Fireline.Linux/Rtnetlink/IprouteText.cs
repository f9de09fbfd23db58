using System.Globalization;

namespace Fireline.Linux.Rtnetlink;

/// <summary>Writes values the way iproute2 prints them, for the operation text in errors.</summary>
internal static class IprouteText
{
    /// <summary>The lower-case name (<c>blackhole</c>, <c>permanent</c>); the number where the enum has no name.</summary>
    public static string Name<T>(T value) where T : struct, Enum
        => Enum.IsDefined(value) ? value.ToString().ToLowerInvariant() : Convert.ToUInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
}
