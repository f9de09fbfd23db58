using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fireline.TestSupport;

/// <summary>The <c>nft</c> tool as an independent observer of a namespace's ruleset (read only).</summary>
public static partial class Nft
{
    /// <summary>
    /// <c>nsenter --net=/var/run/netns/NS nft -j list ruleset</c>: the objects of the <c>nftables</c> array,
    /// without the leading metainfo. A null namespace reads the machine's own ruleset, to check it is untouched.
    /// </summary>
    public static IReadOnlyList<JsonElement> Ruleset(string? ns)
    {
        var output = ns is null
            ? Tool.Run("nft", "-j", "list", "ruleset")
            : Tool.Run("nsenter", $"--net=/var/run/netns/{ns}", "--", "nft", "-j", "list", "ruleset");
        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.GetProperty("nftables").EnumerateArray()
            .Where(item => !item.TryGetProperty("metainfo", out _))
            .Select(item => item.Clone())];
    }

    /// <summary>The objects of one kind ("table", "chain", "set", "rule") in the namespace's ruleset.</summary>
    public static IReadOnlyList<JsonElement> Objects(string ns, string kind)
        => [.. Ruleset(ns).Where(item => item.TryGetProperty(kind, out _)).Select(item => item.GetProperty(kind))];

    /// <summary>
    /// The elements of a set of plain values (addresses, ports, names, prefixes written <c>a/len</c>), as nft prints
    /// them; empty when the set is.
    /// </summary>
    public static IReadOnlyList<string> SetElements(string ns, string family, string table, string set)
    {
        var found = Objects(ns, "set").Single(s =>
            s.GetProperty("family").GetString() == family && s.GetProperty("table").GetString() == table && s.GetProperty("name").GetString() == set);
        return found.TryGetProperty("elem", out var elements) ? [.. elements.EnumerateArray().Select(Text)] : [];
    }

    /// <summary>
    /// A table's listing (<c>nft list table ...</c>) as its sets, maps and chains, each whole, in name order: what it
    /// holds, whatever order they were added in and whatever the table's comment (another instance's mark).
    /// </summary>
    public static IReadOnlyList<string> Blocks(string listing)
    {
        var blocks = new List<string>();
        var current = new List<string>();
        foreach (var line in listing.Split('\n'))
        {
            if (line.StartsWith("\t}", StringComparison.Ordinal))
            {
                blocks.Add(string.Join('\n', current));
                current.Clear();
            }
            else if (line.StartsWith("\t\t", StringComparison.Ordinal) || line.StartsWith("\tchain ", StringComparison.Ordinal) ||
                     line.StartsWith("\tset ", StringComparison.Ordinal) || line.StartsWith("\tmap ", StringComparison.Ordinal))
            {
                current.Add(line);
            }
        }

        return [.. blocks.Order(StringComparer.Ordinal)];
    }

    private static string Text(JsonElement element)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty("prefix", out var prefix)
            ? $"{prefix.GetProperty("addr").GetString()}/{prefix.GetProperty("len").GetInt32()}"
            : element.ToString();

    /// <summary>
    /// Every rule of a listing made with <c>nft -a</c>: its chain and handle, in order. A rule rewritten gets a new
    /// handle, so equal handles outside a chain show that nothing else was touched.
    /// </summary>
    public static IReadOnlyList<(string Chain, string Handle)> RuleHandles(string listing)
    {
        var rules = new List<(string, string)>();
        var chain = "";
        foreach (var line in listing.Split('\n'))
        {
            if (ChainLine().Match(line) is { Success: true } start)
            {
                chain = start.Groups[1].Value;
            }
            else if (HandleOf().Match(line) is { Success: true } rule && !line.TrimStart().StartsWith("type ", StringComparison.Ordinal))
            {
                rules.Add((chain, rule.Groups[1].Value));
            }
        }

        return rules;
    }

    [GeneratedRegex(@"^\s*chain (\S+) \{")]
    private static partial Regex ChainLine();

    [GeneratedRegex(@" # handle (\d+)")]
    private static partial Regex HandleOf();
}
