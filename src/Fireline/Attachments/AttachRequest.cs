using System.Text.Json.Serialization;
using Fireline.Vms;

namespace Fireline.Attachments;

/// <summary>
/// A CNI ADD as the engine takes it, and the body of the API's <c>PUT /v1/attachments/{containerId}/{ifName}</c>
/// (<c>{cniNetwork, netns, network?, tapName?, tapOwner?, tapGroup?, rateLimits?, ipv6?}</c>). Validated by the
/// engine, whoever sends it.
/// </summary>
public sealed record AttachRequest
{
    /// <summary><c>CNI_CONTAINERID</c>, from the API's path; it becomes the VM's id.</summary>
    [JsonIgnore]
    public string ContainerId { get; init; } = "";

    /// <summary><c>CNI_IFNAME</c>, from the API's path.</summary>
    [JsonIgnore]
    public string IfName { get; init; } = "";

    /// <summary>The CNI network's name (the configuration's <c>name</c>).</summary>
    public string? CniNetwork { get; init; }

    /// <summary><c>CNI_NETNS</c>: an absolute path to the runtime's network namespace.</summary>
    public string? Netns { get; init; }

    /// <summary>The Fireline network to join; null means <c>default</c>.</summary>
    public string? Network { get; init; }

    /// <summary>The TAP's name in the namespace; null means <c>tap0</c>.</summary>
    public string? TapName { get; init; }

    public uint? TapOwner { get; init; }

    public uint? TapGroup { get; init; }

    public RateLimits? RateLimits { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Ipv6 { get; init; }
}
