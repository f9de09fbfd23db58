using Fireline.Errors;
using Fireline.Documents;

namespace Fireline.Networks;

/// <summary>
/// Validation problems collected over a whole file, so one run reports all of them. A problem names its field
/// and, when it came from a file, the field's line (<paramref name="lineOf"/> knows where each field was read).
/// </summary>
internal sealed class Problems(Func<string, long?>? lineOf = null)
{
    private const int MaxShown = 20;

    private readonly List<(string Field, string Message)> _items = [];

    public int Count => _items.Count;

    public void Add(string field, DocumentNode at, string message)
        => _items.Add((field, at.Line > 0 ? $"{field}: {message} (line {at.Line})" : $"{field}: {message}"));

    /// <summary>A problem of a value, at the line its field was read from (when it was).</summary>
    public void Add(string field, string message)
        => _items.Add((field, lineOf?.Invoke(field) is { } line ? $"{field}: {message} (line {line})" : $"{field}: {message}"));

    /// <summary>Throws invalid-argument naming the first field, with every problem in the message.</summary>
    public void ThrowIfAny()
    {
        if (_items.Count == 0)
        {
            return;
        }

        // A file of thousands of bad networks says how many, and shows the first ones.
        var message = _items.Count == 1
            ? _items[0].Message
            : $"{_items.Count} problems:\n  " + string.Join("\n  ", _items.Take(MaxShown).Select(i => i.Message)) +
              (_items.Count > MaxShown ? $"\n  ... and {_items.Count - MaxShown} more" : "");
        throw DomainErrors.InvalidInput(_items[0].Field, message);
    }
}
