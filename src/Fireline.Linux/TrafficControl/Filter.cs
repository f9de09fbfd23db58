namespace Fireline.Linux.TrafficControl;

/// <summary>
/// A filter as the kernel reports it (<c>tc filter show</c>). A u32 filter shows up as several entries per
/// priority (the classifier, its hash table, each rule); only the rule carries actions.
/// </summary>
public sealed record Filter
{
    public required int InterfaceIndex { get; init; }

    /// <summary>TCA_KIND: "u32", "bpf", ...</summary>
    public required string Kind { get; init; }

    public TcHandle Parent { get; init; }

    /// <summary>tc's <c>prio</c>/<c>pref</c>.</summary>
    public ushort Priority { get; init; }

    /// <summary>The EtherType matched, in host order (ETH_P_ALL = 3 for <c>protocol all</c>).</summary>
    public ushort Protocol { get; init; }

    /// <summary>The classifier's own handle (u32: <c>800::800</c> for the first rule).</summary>
    public uint Handle { get; init; }

    /// <summary>The interface index a <c>mirred egress redirect</c> action sends to, when the filter has one.</summary>
    public int? RedirectIndex { get; init; }
}
