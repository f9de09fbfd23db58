using System.Text.Json;
using Fireline.TestSupport;
using Fireline.TestSupport.Cni;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// CNI attachments on a cluster node are endpoints as the API's VMs are: published when the ADD is done, withdrawn when
/// the DEL or GC removes them, so the other nodes' tunnels follow at once (not at the next full resync).
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class ClusterAttachmentTests : IDisposable
{
    private readonly ClusterFleet _fleet = new(nodes: 2);

    [Fact]
    public void Another_node_tunnels_to_an_attachment_once_added_and_no_longer_once_deleted_or_collected()
    {
        _fleet.Define("tenant", """{"subnet":"10.63.0.0/24"}""");
        _fleet.Create(1, "remote", "tenant"); // node-1 takes part in the network: it programs tunnels towards its members
        var runtime = new CniRuntime(_fleet.Daemons[0].Socket);
        var host = _fleet.Hosts[0].Host;

        var deleted = Attach(runtime, host, "deleted");
        var collected = Attach(runtime, host, "collected");
        Eventually.True(() => _fleet.Tunnels(1, deleted.Mac, remote: 0) && _fleet.Tunnels(1, collected.Mac, remote: 0),
            $"node-1 tunnels both attachments' MACs to node-0; node-0's log:\n{_fleet.Daemons[0].Log}");

        runtime.Delete(deleted.Id, deleted.Netns).Succeeded();
        Eventually.True(() => !_fleet.Tunnels(1, deleted.Mac, remote: 0), "the deleted attachment's tunnel entry is gone from node-1");
        Assert.True(_fleet.Tunnels(1, collected.Mac, remote: 0), "the other attachment's stays");

        var gc = _fleet.Daemons[0].Send("POST", "/v1/attachments:gc", JsonSerializer.Serialize(new { cniNetwork = runtime.CniNetwork, valid = Array.Empty<object>() }));
        Assert.True(gc.Status == 200, gc.Body);
        Eventually.True(() => !_fleet.Tunnels(1, collected.Mac, remote: 0), "the collected attachment's tunnel entry is gone from node-1");
    }

    private (string Id, string Netns, string Mac) Attach(CniRuntime runtime, TestHost host, string name)
    {
        var netns = $"{host.Prefix}-rt-{name}";
        Ip.Run("netns", "add", netns);
        var id = host.VmId(name);
        runtime.Add(id, "/var/run/netns/" + netns, extra: "\"network\":\"tenant\"").Succeeded();
        return (id, "/var/run/netns/" + netns, _fleet.Daemons[0].Send("GET", $"/v1/vms/{id}").Json.GetProperty("guestMac").GetString()!);
    }

    public void Dispose() => _fleet.Dispose();
}
