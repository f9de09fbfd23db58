using Fireline.Cli.Api;
using Fireline.Cli.Output;
using Fireline.Host;
using Fireline.Service;
using Microsoft.AspNetCore.Http;

namespace Fireline.Cli.Daemon;

/// <summary><c>/v1/host</c> and <c>/v1/reconcile</c>: the host as a whole, as <c>fireline host init|status</c> and <c>fireline reconcile</c>.</summary>
internal sealed class HostResource(IFirelineService engine)
{
    /// <summary><c>GET /v1/host</c></summary>
    public IResult Get() => Results.Json(engine.GetHostStatus(), CliJson.Api.HostStatus);

    /// <summary><c>PUT /v1/host</c>: forwarding, the default network, NAT; idempotent. An empty body takes every default.</summary>
    public async Task<IResult> Put(HttpRequest request)
    {
        var init = await RequestBody.ReadAsync(request, ApiRequestJson.Default.HostInitRequest).ConfigureAwait(false) ?? new HostInitRequest();
        return Results.Json(engine.InitHost(init), CliJson.Api.HostStatus);
    }

    /// <summary><c>POST /v1/reconcile</c>: what the daemon also does at start-up; prints what it did.</summary>
    public IResult Reconcile() => Results.Json(engine.Reconcile(), CliJson.Api.ReconcileReport);

    /// <summary><c>GET /v1/doctor[?vm=ID]</c>: the troubleshooting checklist, run; 200 whether checks pass or fail.</summary>
    public IResult Doctor(string? vm) => Results.Json(engine.Doctor(vm), CliJson.Api.DoctorReport);

    /// <summary><c>POST /v1/host/tune</c>: the sysctl profile as a diff; <c>apply</c> sets it. No file is written here.</summary>
    public async Task<IResult> Tune(HttpRequest request)
    {
        var body = await RequestBody.ReadAsync(request, ApiRequestJson.Default.TuneBody).ConfigureAwait(false) ?? new TuneBody();
        if (body.WriteFile is not null)
        {
            throw ApiErrors.InvalidBody("writeFile",
                "'writeFile' is not accepted: the daemon writes no files; run 'fireline host tune --write' on the host to write the sysctl.d file");
        }

        return Results.Json(engine.Tune(body.Apply, write: false), CliJson.Api.TuneReport);
    }
}
