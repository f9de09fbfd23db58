namespace Fireline.State;

/// <summary>
/// The options a VM was created with. Creating the same id again with equal options returns the existing VM;
/// different options are a conflict.
/// </summary>
public sealed record VmOptions
{
    /// <summary>Bytes per second the guest may receive (null: unlimited).</summary>
    public long? RxBandwidth { get; init; }

    /// <summary>Bytes per second the guest may send (null: unlimited).</summary>
    public long? TxBandwidth { get; init; }

    public bool Ipv6 { get; init; }
}
