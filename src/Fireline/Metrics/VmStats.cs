namespace Fireline.Metrics;

/// <summary>
/// A VM's traffic counters (<c>fireline stats</c>), read from its TAP inside its namespace. Directions are the
/// guest's: rx is what the guest received, tx what it sent. The TAP counts the other way round (what the host
/// side writes into the TAP, its tx, is what the guest receives), so the TAP's tx counters appear here as rx
/// and its rx counters as tx, the same convention as the rx/tx rate limiters of the VM record.
/// </summary>
public sealed record VmStats
{
    public required string VmId { get; init; }

    public required string Network { get; init; }

    public ulong RxBytes { get; init; }

    public ulong TxBytes { get; init; }

    public ulong RxPackets { get; init; }

    public ulong TxPackets { get; init; }

    /// <summary>Frames for the guest dropped at the TAP (its queue was full: the guest did not read fast enough).</summary>
    public ulong RxDropped { get; init; }

    public ulong TxDropped { get; init; }

    public ulong RxErrors { get; init; }

    public ulong TxErrors { get; init; }
}
