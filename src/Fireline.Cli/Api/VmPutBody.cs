using Fireline.Vms;

namespace Fireline.Cli.Api;

/// <summary>
/// The body of <c>PUT /v1/vms/{id}</c>: <c>{network?, rateLimits?, ipv6?, tapOwner?, tapGroup?, sriov?}</c>; empty or
/// <c>{}</c> asks for a VM on the default network without limits, as <c>fireline vm create ID</c> does.
/// </summary>
internal sealed class VmPutBody : StrictBody
{
    public string? Network { get; init; }

    public RateLimitsBody? RateLimits { get; init; }

    public bool? Ipv6 { get; init; }

    public uint? TapOwner { get; init; }

    public uint? TapGroup { get; init; }

    /// <summary>A VF of this physical function (or "any"), as <c>vm create --sriov</c>.</summary>
    public string? Sriov { get; init; }

    public override void Validate(string path)
    {
        RefuseUnknown(path, "network", "rateLimits", "ipv6", "tapOwner", "tapGroup", "sriov");
        RateLimits?.Validate(Join(path, "rateLimits"));
    }

    public VmCreateRequest ToRequest(string vmId) => new()
    {
        VmId = vmId,
        Network = Network,
        RateLimits = RateLimits?.ToRateLimits(),
        Ipv6 = Ipv6 ?? false,
        TapOwner = TapOwner,
        TapGroup = TapGroup,
        Sriov = Sriov,
    };

    public static VmPutBody From(VmCreateRequest request) => new()
    {
        Network = request.Network,
        RateLimits = request.RateLimits is null ? null : RateLimitsBody.From(request.RateLimits),
        Ipv6 = request.Ipv6 ? true : null,
        TapOwner = request.TapOwner,
        TapGroup = request.TapGroup,
        Sriov = request.Sriov,
    };
}
