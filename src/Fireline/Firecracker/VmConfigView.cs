using System.Text.Json.Serialization;

namespace Fireline.Firecracker;

/// <summary>
/// What Fireline reads of Firecracker's <c>GET /vm/config</c>. Every field optional: a VM restored from a snapshot
/// reports an empty boot source, and an interface need not have a MAC.
/// </summary>
internal sealed record VmConfigView
{
    [JsonPropertyName("boot-source")]
    public BootSourceView? BootSource { get; init; }

    [JsonPropertyName("network-interfaces")]
    public IReadOnlyList<InterfaceView>? NetworkInterfaces { get; init; }

    internal sealed record BootSourceView(
        [property: JsonPropertyName("kernel_image_path")] string? KernelImagePath,
        [property: JsonPropertyName("boot_args")] string? BootArgs,
        [property: JsonPropertyName("initrd_path")] string? InitrdPath);

    internal sealed record InterfaceView(
        [property: JsonPropertyName("iface_id")] string? IfaceId,
        [property: JsonPropertyName("host_dev_name")] string? HostDevName,
        [property: JsonPropertyName("guest_mac")] string? GuestMac,
        [property: JsonPropertyName("rx_rate_limiter")] RateLimiter? RxRateLimiter,
        [property: JsonPropertyName("tx_rate_limiter")] RateLimiter? TxRateLimiter);
}
