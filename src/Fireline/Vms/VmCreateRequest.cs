namespace Fireline.Vms;

/// <summary>A request for a VM's network. Validated by the engine, whoever sends it.</summary>
public sealed record VmCreateRequest
{
    public required string VmId { get; init; }

    /// <summary>The network to join; null means <c>default</c>.</summary>
    public string? Network { get; init; }

    /// <summary>Bytes per second the guest may receive; null: unlimited.</summary>
    public long? RxBandwidth { get; init; }

    /// <summary>Bytes per second the guest may send; null: unlimited.</summary>
    public long? TxBandwidth { get; init; }

    public bool Ipv6 { get; init; }
}
