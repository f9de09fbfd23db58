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

    /// <summary>
    /// The link's alias (IFLA_IFALIAS). The kernel ignores the attribute in a create request (checked on 6.18:
    /// <c>ip link add x alias y type bridge</c> makes a link without one), so <see cref="Links.Create"/> sets it
    /// with a second request right after the link exists.
    /// </summary>
    public string? Alias { get; init => field = value is null ? null : LinkRequests.ValidateAlias(value); }
}
