using System.Collections;

namespace Fireline.Cli.Daemon;

/// <summary>
/// The scope of every log line of one request or start-up step: its operation (<c>vm.create</c>) and, when it is
/// about a VM, the VM's id. JSON logs carry both as fields; text logs show <see cref="ToString"/>.
/// </summary>
internal sealed class LogScope(string operation, string? vmId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => vmId is null ? 1 : 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("operation", operation),
        1 when vmId is not null => new("vmId", vmId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => vmId is null ? operation : $"{operation} vm {vmId}";
}
