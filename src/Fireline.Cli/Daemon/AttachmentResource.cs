using Fireline.Attachments;
using Fireline.Cli.Api;
using Fireline.Cli.Output;
using Fireline.Service;
using Microsoft.AspNetCore.Http;

namespace Fireline.Cli.Daemon;

/// <summary><c>/v1/attachments</c>: CNI attachments, what the CNI plugin (<c>fireline-cni</c>) asks for on ADD, DEL, CHECK and GC.</summary>
internal sealed class AttachmentResource(FirelineEngine engine)
{
    /// <summary><c>PUT /v1/attachments/{containerId}/{ifName}</c>: ADD; the same ADD again returns the same attachment.</summary>
    public async Task<IResult> Put(string containerId, string ifName, HttpRequest request)
    {
        var body = await RequestBody.ReadAsync(request, ApiRequestJson.Default.AttachRequest).ConfigureAwait(false)
            ?? throw ApiErrors.InvalidBody("body", "send {cniNetwork, netns, network?, tapName?, tapOwner?, tapGroup?, rateLimits?, ipv6?}");
        return Results.Json(engine.Attach(body with { ContainerId = containerId, IfName = ifName }), CliJson.Api.AttachmentRecord);
    }

    /// <summary><c>GET /v1/attachments/{containerId}/{ifName}?cniNetwork=N</c>: CHECK; 404 when there is no such attachment.</summary>
    public IResult Get(string containerId, string ifName, string? cniNetwork)
        => Results.Json(engine.CheckAttachment(containerId, ifName, cniNetwork), CliJson.Api.AttachmentCheck);

    /// <summary><c>DELETE /v1/attachments/{containerId}/{ifName}?cniNetwork=N</c>: DEL; <c>deleted: false</c> when there was none.</summary>
    public IResult Delete(string containerId, string ifName, string? cniNetwork)
        => Results.Json(engine.Detach(containerId, ifName, cniNetwork), CliJson.Api.AttachmentDeleteResult);

    /// <summary><c>POST /v1/attachments:gc</c>: GC; removes the CNI network's attachments not listed as valid.</summary>
    public async Task<IResult> Collect(HttpRequest request)
    {
        var body = await RequestBody.ReadAsync(request, ApiRequestJson.Default.AttachmentGcRequest).ConfigureAwait(false)
            ?? throw ApiErrors.InvalidBody("body", "send {cniNetwork, valid: [{containerId, ifName}]}");
        return Results.Json(engine.CollectAttachments(body), CliJson.Api.AttachmentGcResult);
    }
}
