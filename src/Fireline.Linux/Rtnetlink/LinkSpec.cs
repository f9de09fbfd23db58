using Fireline.Linux.Namespaces;

namespace Fireline.Linux.Rtnetlink;

/// <summary>What to create: a name, a kind, and the common settings that can be given at creation time.</summary>
public sealed record LinkSpec(string Name, LinkKind Kind)
{
    public string Name { get; } = LinkName.Validate(Name);

    public int? Mtu { get; init; }

    public MacAddress? Address { get; init; }

    /// <summary>Enslave to this bridge at creation (saves a round trip).</summary>
    public int? MasterIndex { get; init; }

    public bool Up { get; init; }

    /// <summary>Create the link directly inside this namespace instead of the socket's.</summary>
    public NetworkNamespace? Namespace { get; init; }

    public int? TxQueueLength { get; init; }
}
