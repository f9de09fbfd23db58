using Fireline.Errors;
using YamlDotNet.Core;

namespace Fireline.Documents;

/// <summary>
/// Reads a Fireline YAML document (a networks file, the configuration file) with bounds, so the work a document
/// causes is linear in its size and small for any size accepted: at most <see cref="MaxDocumentLength"/>
/// characters, <see cref="MaxNodes"/> nodes, lists of <see cref="MaxItems"/> items, values of
/// <see cref="MaxValueLength"/> characters, <see cref="MaxDepth"/> levels, and no anchors, aliases, merge keys or
/// tags (<see cref="DocumentReader"/>). Each is refused at the event that shows it, before anything is built from
/// it, with the field's path and line.
/// </summary>
public static class BoundedYaml
{
    /// <summary>16 MiB: about 300,000 networks' worth of plain YAML, far beyond any real file.</summary>
    public const int MaxDocumentLength = 16 * 1024 * 1024;

    /// <summary>
    /// The most nodes (keys, values, lists, mappings): 4,096 networks with four rules each, or 1,000 with twenty. The
    /// bound on time: YAML parsing costs about a microsecond per node on this project's machine, and a document this
    /// full is read and validated in about half a second.
    /// </summary>
    public const int MaxNodes = 1 << 18;

    /// <summary>The longest list: the most networks a document declares (a list of rules or DNS servers has its own, lower, limit).</summary>
    public const int MaxItems = 4_096;

    /// <summary>The longest value: PATH_MAX, for a path in the configuration file; every network field is far shorter.</summary>
    public const int MaxValueLength = 4_096;

    /// <summary>A networks file is five levels deep (the file, networks, a network, its policies, a rule); the rest is room.</summary>
    public const int MaxDepth = 10;

    /// <summary>
    /// The document's root node; null for an empty document. Refusals are invalid-argument errors naming the field
    /// path (or <c>file</c>) and the line.
    /// </summary>
    public static DocumentNode? Load(string text)
    {
        if (text.Length > MaxDocumentLength)
        {
            throw DomainErrors.InvalidInput("file", $"file: {text.Length:N0} characters; a document holds at most {MaxDocumentLength:N0} (16 MiB)");
        }

        try
        {
            return new DocumentReader(new Parser(new StringReader(text))).ReadDocument();
        }
        catch (YamlException error)
        {
            throw DomainErrors.InvalidInput("file", $"not valid YAML at line {error.Start.Line}, column {error.Start.Column}: {error.InnerException?.Message ?? error.Message}");
        }
    }
}
