using Fireline.Cli.Api;
using Fireline.Cli.Output;
using Fireline.Networks;
using Fireline.Service;
using Microsoft.AspNetCore.Http;

namespace Fireline.Cli.Daemon;

/// <summary><c>/v1/networks</c>: declarative networks, as <c>fireline network apply|list|show|delete</c>.</summary>
internal sealed class NetworkResource(FirelineEngine engine)
{
    /// <summary><c>GET /v1/networks</c></summary>
    public IResult List() => Results.Json(engine.ListNetworks(), CliJson.Api.IReadOnlyListNetworkView);

    /// <summary><c>GET /v1/networks/{name}</c></summary>
    public IResult Get(string name) => Results.Json(engine.GetNetwork(name), CliJson.Api.NetworkView);

    /// <summary>
    /// <c>PUT /v1/networks/{name}</c>: one network (JSON, the networks file's fields) created or updated, as an
    /// apply of a file naming only it: the other networks stay as they are. 201 when it is new.
    /// </summary>
    public async Task<IResult> Put(string name, HttpRequest request)
    {
        using var body = await RequestBody.ReadDocumentAsync(request).ConfigureAwait(false)
            ?? throw ApiErrors.InvalidBody("body", "send the network: {subnet, policies?, ...}");
        // Parsed before the engine takes its turn: a big or bad document never holds up other calls.
        var file = NetworkDocument.FromJson(body.RootElement, name);
        var (network, created) = engine.PutNetwork(file, name);
        return Results.Json(network, CliJson.Api.NetworkView, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    /// <summary><c>DELETE /v1/networks/{name}</c>: refused while VMs use the network.</summary>
    public IResult Delete(string name) => Results.Json(engine.DeleteNetwork(name), CliJson.Api.NetworkView);

    /// <summary>
    /// <c>POST /v1/networks:apply</c>: a whole networks file, optionally as a dry run or pruning the networks it does
    /// not name. Parsed before the engine takes its turn, like a PUT's.
    /// </summary>
    public async Task<IResult> Apply(HttpRequest request)
    {
        var body = await RequestBody.ReadAsync(request, ApiRequestJson.Default.NetworkApplyBody, RequestBody.DocumentLimit).ConfigureAwait(false)
            ?? throw ApiErrors.InvalidBody("body", "send {document, dryRun?, prune?}");
        var file = NetworkFile.Parse(body.Document);
        return Results.Json(engine.ApplyNetworks(file, body.DryRun, body.Prune), CliJson.Api.NetworkPlan);
    }
}
