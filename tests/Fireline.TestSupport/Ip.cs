using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fireline.TestSupport;

/// <summary>iproute2 as an independent observer of kernel state: what the code under test did, seen by another tool.</summary>
public static partial class Ip
{
    /// <summary><c>ip -n NS -j -d link show</c>, as JSON objects.</summary>
    public static IReadOnlyList<JsonElement> Links(string ns) => Json("-n", ns, "-j", "-d", "link", "show");

    /// <summary>The link of that name in the namespace, or null.</summary>
    public static JsonElement? Link(string ns, string name)
    {
        var result = Tool.TryRun("ip", "-n", ns, "-j", "-d", "link", "show", "dev", name);
        return result.ExitCode == 0 ? Parse(result.StandardOutput).Single() : null;
    }

    /// <summary><c>ip -n NS -j addr show</c></summary>
    public static IReadOnlyList<JsonElement> Addresses(string ns) => Json("-n", ns, "-j", "addr", "show");

    /// <summary><c>ip -n NS -j route show [table all]</c></summary>
    public static IReadOnlyList<JsonElement> Routes(string ns, string family = "-4") => Json("-n", ns, family, "-j", "route", "show");

    /// <summary><c>ip -n NS -j route show table TABLE</c> (a number, <c>local</c> or <c>all</c>)</summary>
    public static IReadOnlyList<JsonElement> Routes(string ns, string family, string table) => Json("-n", ns, family, "-j", "route", "show", "table", table);

    /// <summary><c>ip -n NS -j neigh show [proxy]</c>: both families</summary>
    public static IReadOnlyList<JsonElement> Neighbours(string ns, bool proxy = false)
        => proxy ? Json("-n", ns, "-j", "neigh", "show", "proxy") : Json("-n", ns, "-j", "neigh", "show");

    /// <summary>The addr_info entries of one link: <c>ip -n NS -j addr show dev NAME</c>.</summary>
    public static IReadOnlyList<JsonElement> AddressesOf(string ns, string name)
        => [.. Json("-n", ns, "-j", "addr", "show", "dev", name).SelectMany(l => l.GetProperty("addr_info").EnumerateArray())];

    /// <summary>
    /// <c>ip -n NS addr show</c> as a state to compare: without the <c>tentative</c> flag, which the kernel drops
    /// when duplicate address detection ends, a second or more later on a loaded machine, whatever Fireline does.
    /// </summary>
    public static string AddressState(string ns) => Run("-n", ns, "addr", "show").Replace(" tentative", "", StringComparison.Ordinal);

    /// <summary>
    /// <c>ip -n NS [-d] link show</c> as a state to compare: without what the kernel changes on its own clock whatever
    /// Fireline does: carrier (<c>NO-CARRIER</c>, <c>LOWER_UP</c>, operational and bridge port <c>state</c>, which follow a
    /// veth's carrier up to a second after the link went up on a loaded machine) and bridge timers.
    /// </summary>
    public static string LinkState(string ns, bool details = false)
        => CarrierState().Replace(details ? Run("-n", ns, "-d", "link", "show") : Run("-n", ns, "link", "show"), "");

    [GeneratedRegex(@"NO-CARRIER,|,LOWER_UP|,M-DOWN| state [A-Za-z]+| \w+_timer +[0-9.]+")]
    private static partial Regex CarrierState();

    /// <summary>Runs <c>ip ARGS</c> and fails the test when it fails.</summary>
    public static string Run(params string[] arguments) => Tool.Run("ip", arguments);

    public static bool NamespaceExists(string name) => File.Exists(Path.Combine("/var/run/netns", name));

    /// <summary>Runs <c>ip ARGS</c> (which should include <c>-j</c>) and parses its JSON array.</summary>
    public static IReadOnlyList<JsonElement> Json(params string[] arguments) => Parse(Tool.Run("ip", arguments));

    private static List<JsonElement> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
