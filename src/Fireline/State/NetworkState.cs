namespace Fireline.State;

/// <summary>A network and its allocator's cursor: the lowest address never handed out yet.</summary>
public sealed record NetworkState(NetworkSpec Spec, uint NextUnused)
{
    public string Name => Spec.Name;
}
