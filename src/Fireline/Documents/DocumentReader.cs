using System.Globalization;
using System.Text;
using Fireline.Errors;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Fireline.Documents;

/// <summary>
/// Builds a <see cref="DocumentNode"/> tree from YamlDotNet's parser events, and stops, with an error naming the
/// field's path and line, at the first event a Fireline document never needs or that would make work grow faster
/// than the text: an anchor, an alias, a tag, a merge key (<c>&lt;&lt;</c>), a key that is not text, a key said
/// twice, a second document, and more nodes, depth, items per list or characters per value than
/// <see cref="BoundedYaml"/> allows. Nothing after a refused event is read, so an alias bomb costs what reading up
/// to its first anchor costs. (YamlDotNet's own representation model is not used: it takes aliases, and building it
/// costs more than parsing.)
/// </summary>
internal sealed class DocumentReader(IParser parser)
{
    /// <summary>The path to the node at hand: a key of a mapping, or an index of a list.</summary>
    private readonly List<(string? Key, int Index)> _path = [];
    private int _nodes;

    /// <summary>The document's root; null for an empty stream.</summary>
    public DocumentNode? ReadDocument()
    {
        Expect<StreamStart>();
        var start = Next();
        if (start is StreamEnd)
        {
            return null;
        }

        if (start is not DocumentStart)
        {
            throw Refuse(start, "not a YAML document");
        }

        var root = ReadNode(Next(), depth: 1);
        Expect<DocumentEnd>();
        var end = Next();
        return end is StreamEnd ? root : throw Refuse(end, "a second YAML document ('---'): the file holds one", atRoot: true);
    }

    private DocumentNode ReadNode(ParsingEvent current, int depth)
    {
        CheckNode(current);
        switch (current)
        {
            case Scalar scalar:
                CheckLength(scalar);
                return new DocumentText(Span(scalar, scalar), scalar.Value, scalar.Style == ScalarStyle.Plain);
            case SequenceStart start:
                CheckDepth(start, depth);
                var items = new List<DocumentNode>();
                ParsingEvent item;
                while ((item = Next()) is not SequenceEnd)
                {
                    if (items.Count == BoundedYaml.MaxItems)
                    {
                        _path.Add((null, items.Count));
                        throw Refuse(item, $"a list of more than {BoundedYaml.MaxItems:N0} items");
                    }

                    _path.Add((null, items.Count));
                    items.Add(ReadNode(item, depth + 1));
                    _path.RemoveAt(_path.Count - 1);
                }

                return new DocumentList(CollectionSpan(start, item, start.Style == SequenceStyle.Flow), items);
            case MappingStart mapping:
                CheckDepth(mapping, depth);
                return ReadMapping(mapping, depth);
            default:
                throw Refuse(current, "not a YAML value");
        }
    }

    private DocumentMap ReadMapping(MappingStart start, int depth)
    {
        var entries = new List<(DocumentText Key, DocumentNode Value)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        ParsingEvent next;
        while ((next = Next()) is not MappingEnd)
        {
            CheckNode(next);
            if (next is not Scalar key)
            {
                throw Refuse(next, "a key must be text, not a list or mapping");
            }

            CheckLength(key, key.Value);
            if (key.Value == "<<" && key.Style == ScalarStyle.Plain)
            {
                throw Refuse(key, "a merge key (<<): anchors, aliases and merges are not accepted, write the values out", key.Value);
            }

            if (!keys.Add(key.Value))
            {
                throw Refuse(key, "a key said twice in one mapping", key.Value);
            }

            _path.Add((key.Value, 0));
            entries.Add((new DocumentText(Span(key, key), key.Value, key.Style == ScalarStyle.Plain), ReadNode(Next(), depth + 1)));
            _path.RemoveAt(_path.Count - 1);
        }

        return new DocumentMap(CollectionSpan(start, next, start.Style == MappingStyle.Flow), entries, start.Style == MappingStyle.Flow);
    }

    /// <summary>Anchors, aliases and tags are refused on any node, and every node counts.</summary>
    private void CheckNode(ParsingEvent current)
    {
        switch (current)
        {
            case AnchorAlias:
                throw Refuse(current, "an alias (*name): anchors and aliases are not accepted, write the value out");
            case NodeEvent { Anchor.IsEmpty: false }:
                throw Refuse(current, "an anchor (&name): anchors and aliases are not accepted, write the value out");
            case NodeEvent { Tag.IsEmpty: false } tagged:
                throw Refuse(current, $"a tag ({UserText.Escape(tagged.Tag.Value)}): tags are not accepted, a value's type is its field's");
        }

        if (++_nodes > BoundedYaml.MaxNodes)
        {
            throw Refuse(current, $"the document has more than {BoundedYaml.MaxNodes:N0} values, keys and lists");
        }
    }

    private void CheckLength(Scalar scalar, string? key = null)
    {
        if (scalar.Value.Length > BoundedYaml.MaxValueLength)
        {
            throw Refuse(scalar, $"a value of {scalar.Value.Length:N0} characters; at most {BoundedYaml.MaxValueLength:N0} are accepted", key);
        }
    }

    private void CheckDepth(ParsingEvent start, int depth)
    {
        if (depth > BoundedYaml.MaxDepth)
        {
            throw Refuse(start, $"nested deeper than {BoundedYaml.MaxDepth} levels");
        }
    }

    private ParsingEvent Next()
        => parser.MoveNext() ? parser.Current! : throw new YamlException(parser.Current?.End ?? Mark.Empty, parser.Current?.End ?? Mark.Empty, "the text ends early");

    private void Expect<T>()
        where T : ParsingEvent
    {
        var next = Next();
        if (next is not T)
        {
            throw Refuse(next, "not a YAML document");
        }
    }

    private static DocumentSpan Span(ParsingEvent start, ParsingEvent end) => new(start.Start.Line, start.Start.Index, end.End.Index);

    /// <summary>A list's or mapping's end event has no width: a flow collection ends after its ']' or '}', which the event points at.</summary>
    private static DocumentSpan CollectionSpan(ParsingEvent start, ParsingEvent end, bool flow)
        => new(start.Start.Line, start.Start.Index, end.Start.Index + (flow ? 1 : 0));

    /// <summary>Invalid input naming the path (<c>networks[3].policies[0].name</c>, <c>file</c> for the document itself) and the line.</summary>
    private FirelineException Refuse(ParsingEvent at, string what, string? key = null, bool atRoot = false)
    {
        var path = new StringBuilder();
        List<(string? Key, int Index)> segments = atRoot ? [] : key is null ? _path : [.. _path, (key, 0)];
        foreach (var (segment, index) in segments)
        {
            if (segment is null)
            {
                path.Append(CultureInfo.InvariantCulture, $"[{index}]");
            }
            else
            {
                path.Append(path.Length == 0 ? "" : ".").Append(UserText.Escape(segment));
            }
        }

        var field = path.Length == 0 ? "file" : path.ToString();
        return DomainErrors.InvalidInput(field, $"{field}: {what} (line {at.Start.Line})");
    }
}
