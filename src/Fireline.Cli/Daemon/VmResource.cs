using System.Runtime.CompilerServices;
using System.Text.Json;
using Fireline.Addressing;
using Fireline.Cli.Api;
using Fireline.Cli.Output;
using Fireline.Policy;
using Fireline.Service;
using Fireline.Vms;
using Microsoft.AspNetCore.Http;

namespace Fireline.Cli.Daemon;

/// <summary><c>/v1/vms</c>: VM networks, as <c>fireline vm create|delete|show|list|limit|forward</c>.</summary>
internal sealed class VmResource(IFirelineService engine)
{
    /// <summary><c>PUT /v1/vms/{id}</c>: create, idempotent for the same id and body; a conflict otherwise.</summary>
    public async Task<IResult> Put(string id, HttpRequest request)
    {
        VmId.Parse(id);
        var body = await RequestBody.ReadAsync(request, ApiRequestJson.Default.VmCreateRequest).ConfigureAwait(false) ?? new VmCreateRequest { VmId = id };
        return Results.Json(engine.CreateVm(body with { VmId = id }), CliJson.Api.VmRecord);
    }

    /// <summary>
    /// <c>GET /v1/vms</c>, written whole with its length. The engine hands out the same list until the state changes, so
    /// the body written from it is kept with it: an unchanged list of 10,000 VMs (5 MB) is not serialised again. After a
    /// change, the engine keeps the record instance of every VM that did not change, and each record's JSON is kept
    /// with it (and goes with it): only what changed is serialised.
    /// </summary>
    public IResult List()
    {
        var records = engine.ListVms();
        var written = _written;
        if (written is null || !ReferenceEquals(written.Records, records))
        {
            _written = written = new WrittenList(records, JsonBody.OfArray(records, record =>
                _recordJson.GetValue(record, r => JsonSerializer.SerializeToUtf8Bytes(r, CliJson.Api.VmRecord))));
        }

        return written.Body;
    }

    private volatile WrittenList? _written;

    private readonly ConditionalWeakTable<VmRecord, byte[]> _recordJson = [];

    private sealed record WrittenList(IReadOnlyList<VmRecord> Records, JsonBody Body);

    /// <summary><c>GET /v1/vms/{id}</c></summary>
    public IResult Get(string id) => Results.Json(engine.GetVm(id), CliJson.Api.VmRecord);

    /// <summary><c>DELETE /v1/vms/{id}</c>: succeeds when the VM is already gone (<c>deleted: false</c>).</summary>
    public IResult Delete(string id) => Results.Json(engine.DeleteVm(id), CliJson.Api.VmDeleteResult);

    /// <summary><c>PATCH /v1/vms/{id}/rate-limits</c>: replaces the VM's limits; <c>{}</c> removes them all.</summary>
    public async Task<IResult> PatchRateLimits(string id, HttpRequest request)
    {
        VmId.Parse(id);
        var limits = await RequestBody.ReadAsync(request, ApiRequestJson.Default.RateLimits).ConfigureAwait(false)
            ?? throw ApiErrors.InvalidBody("body", "send the new limits {rx?, tx?}, or {} to remove them all");
        return Results.Json(engine.SetRateLimits(id, limits), CliJson.Api.VmRecord);
    }

    /// <summary><c>PUT /v1/vms/{id}/policy</c>: replaces the VM's own rules with the body's <c>{policies: [...]}</c>.</summary>
    public async Task<IResult> PutPolicy(string id, HttpRequest request)
    {
        VmId.Parse(id);
        var body = await RequestBody.ReadAsync(request, ApiRequestJson.Default.VmPolicyBody).ConfigureAwait(false)
            ?? throw ApiErrors.InvalidBody("body", "send {policies: [...]}, rules like a network's (DELETE removes them)");
        return Results.Json(engine.SetVmPolicies(id, body.Policies), CliJson.Api.VmRecord);
    }

    /// <summary><c>DELETE /v1/vms/{id}/policy</c>: the VM keeps only its network's rules.</summary>
    public IResult DeletePolicy(string id) => Results.Json(engine.SetVmPolicies(id, []), CliJson.Api.VmRecord);

    /// <summary><c>POST /v1/vms/{id}/forwards</c>: a host port forwarded to a VM port; the same forward again changes nothing.</summary>
    public async Task<IResult> PostForward(string id, HttpRequest request)
    {
        VmId.Parse(id);
        var forward = await RequestBody.ReadAsync(request, ApiRequestJson.Default.ForwardRequest).ConfigureAwait(false)
            ?? throw ApiErrors.InvalidBody("body", "send {hostPort, vmPort, protocol?}");
        return Results.Json(engine.ForwardPort(id, forward), CliJson.Api.PortForward);
    }

    /// <summary><c>GET /v1/vms/{id}/stats</c>: the VM's TAP counters, from the guest's point of view.</summary>
    public IResult Stats(string id) => Results.Json(engine.GetStats(id), CliJson.Api.VmStats);

    /// <summary><c>GET /v1/stats</c>: every VM's counters.</summary>
    public IResult AllStats() => Results.Json(engine.ListStats(), CliJson.Api.IReadOnlyListVmStats);
}
