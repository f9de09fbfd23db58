using System.Text.Json.Serialization;
using Fireline.Errors;

namespace Fireline.Firecracker;

/// <summary>
/// The body of Firecracker's <c>PUT /boot-source</c> (pre-boot only): the guest kernel, its command line and an
/// optional initrd, paths as the VMM (inside its jail, if any) sees them.
/// </summary>
public sealed record BootSource
{
    [JsonPropertyName("kernel_image_path")]
    public required string KernelImagePath { get; init; }

    [JsonPropertyName("boot_args")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BootArgs { get; init; }

    [JsonPropertyName("initrd_path")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InitrdPath { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(KernelImagePath))
        {
            throw DomainErrors.InvalidInput("bootSource.kernelImagePath", "the boot source needs a kernel image path");
        }
    }
}
