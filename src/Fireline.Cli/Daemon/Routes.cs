using Fireline.Cli.Api;
using Fireline.Cluster;
using Fireline.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fireline.Cli.Daemon;

/// <summary>
/// The daemon's routing table, the whole API in one place (described for clients in openapi.json). Each route
/// has a name, the operation every log line of its requests carries.
/// </summary>
internal static class Routes
{
    public static void Map(IEndpointRouteBuilder app, FirelineEngine engine, ClusterMember? cluster)
    {
        var vms = new VmResource(engine);
        var networks = new NetworkResource(engine);
        var host = new HostResource(engine);
        var attachments = new AttachmentResource(engine);
        var clusterResource = new ClusterResource(cluster);

        app.MapPut("/v1/vms/{id}", (string id, HttpRequest request) => vms.Put(id, request)).WithName("vm.create");
        app.MapGet("/v1/vms", () => vms.List()).WithName("vm.list");
        app.MapGet("/v1/vms/{id}", (string id) => vms.Get(id)).WithName("vm.show");
        app.MapDelete("/v1/vms/{id}", (string id) => vms.Delete(id)).WithName("vm.delete");
        app.MapPatch("/v1/vms/{id}/rate-limits", (string id, HttpRequest request) => vms.PatchRateLimits(id, request)).WithName("vm.limit");
        app.MapPut("/v1/vms/{id}/policy", (string id, HttpRequest request) => vms.PutPolicy(id, request)).WithName("vm.policy");
        app.MapDelete("/v1/vms/{id}/policy", (string id) => vms.DeletePolicy(id)).WithName("vm.policy.clear");
        app.MapPost("/v1/vms/{id}/forwards", (string id, HttpRequest request) => vms.PostForward(id, request)).WithName("vm.forward");

        app.MapGet("/v1/networks", () => networks.List()).WithName("network.list");
        app.MapPost("/v1/networks:apply", (HttpRequest request) => networks.Apply(request)).WithName("network.apply");
        app.MapPut("/v1/networks/{name}", (string name, HttpRequest request) => networks.Put(name, request)).WithName("network.put");
        app.MapGet("/v1/networks/{name}", (string name) => networks.Get(name)).WithName("network.show");
        app.MapDelete("/v1/networks/{name}", (string name) => networks.Delete(name)).WithName("network.delete");

        app.MapPut("/v1/attachments/{containerId}/{ifName}", (string containerId, string ifName, HttpRequest request) => attachments.Put(containerId, ifName, request))
            .WithName("cni.add");
        app.MapGet("/v1/attachments/{containerId}/{ifName}", (string containerId, string ifName, string? cniNetwork) => attachments.Get(containerId, ifName, cniNetwork))
            .WithName("cni.check");
        app.MapDelete("/v1/attachments/{containerId}/{ifName}", (string containerId, string ifName, string? cniNetwork) => attachments.Delete(containerId, ifName, cniNetwork))
            .WithName("cni.del");
        app.MapPost(ApiPaths.AttachmentsGc, (HttpRequest request) => attachments.Collect(request)).WithName("cni.gc");

        app.MapGet("/v1/host", () => host.Get()).WithName("host.status");
        app.MapPut("/v1/host", (HttpRequest request) => host.Put(request)).WithName("host.init");
        app.MapPost("/v1/reconcile", () => host.Reconcile()).WithName("reconcile");
        app.MapPost(ApiPaths.Tune, (HttpRequest request) => host.Tune(request)).WithName("host.tune");

        app.MapGet("/v1/vms/{id}/stats", (string id) => vms.Stats(id)).WithName("vm.stats");
        app.MapGet(ApiPaths.Stats, () => vms.AllStats()).WithName("stats");
        app.MapGet(ApiPaths.Doctor, (string? vm) => host.Doctor(vm)).WithName("doctor");
        app.MapGet(ApiPaths.Metrics, () => Results.Text(engine.RenderPrometheusText(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("metrics");

        app.MapGet(ApiPaths.Cluster, () => clusterResource.Get()).WithName("cluster.status");

        app.MapGet("/healthz", () => SystemResource.Health()).WithName("health");
        app.MapGet("/openapi.json", () => SystemResource.OpenApi()).WithName("openapi");
    }
}
