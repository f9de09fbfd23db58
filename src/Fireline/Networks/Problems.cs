using Fireline.Errors;
using YamlDotNet.RepresentationModel;

namespace Fireline.Networks;

/// <summary>Validation problems collected over a whole file, so one run reports all of them.</summary>
internal sealed class Problems
{
    private readonly List<(string Field, string Message)> _items = [];

    public int Count => _items.Count;

    public void Add(string field, YamlNode at, string message)
        => _items.Add((field, $"{field}: {message} (line {at.Start.Line})"));

    /// <summary>Throws invalid-argument naming the first field, with every problem in the message.</summary>
    public void ThrowIfAny()
    {
        if (_items.Count == 0)
        {
            return;
        }

        var message = _items.Count == 1
            ? _items[0].Message
            : $"{_items.Count} problems:\n  " + string.Join("\n  ", _items.Select(i => i.Message));
        throw DomainErrors.InvalidInput(_items[0].Field, message);
    }
}
