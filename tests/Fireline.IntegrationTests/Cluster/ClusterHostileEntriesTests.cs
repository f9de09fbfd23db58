using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Cluster;

/// <summary>
/// etcd is shared by every node, so anything that can write to it (another node's bug, a compromised node) can write
/// endpoints. Entries written straight into etcd that claim a local VM's address or MAC, the gateway, an address
/// outside the subnet, or that do not parse, must program nothing over the local VMs: the kernel's FDB and neighbour
/// tables stay clean of them, the local VMs keep reaching each other and the gateway, and the node keeps running.
/// A well-formed remote entry injected alongside them is programmed, which proves the node read them all.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class ClusterHostileEntriesTests : IDisposable
{
    private const string Network = "tenant";
    private const string Intruder = "192.0.2.99";
    private const string GatewayMac = "06:00:0a:49:00:01"; // 10.73.0.1's, as every MAC is derived from an address
    private readonly ClusterFleet _fleet = new(nodes: 1);

    [Fact]
    public void Endpoints_injected_into_etcd_that_claim_local_addresses_program_nothing_over_local_vms_and_the_node_keeps_running()
    {
        _fleet.Define(Network, """{"subnet":"10.73.0.0/24"}""");
        var a = _fleet.Create(0, "a", Network);
        var b = _fleet.Create(0, "b", Network);
        var guestA = _fleet.Guest(0, a);
        var guestB = _fleet.Guest(0, b);
        Eventually.True(() => _fleet.VxlanDevice(0) is not null, "node-0 made the network's VXLAN device");
        var vni = int.Parse(_fleet.VxlanDevice(0)!["vx-".Length..], System.Globalization.CultureInfo.InvariantCulture);

        string[] hostileMacs = ["02:66:00:00:00:01", "02:66:00:00:00:03", "02:66:00:00:00:04", "02:66:00:00:00:05"];
        Inject("steal-ip", vni, hostileMacs[0], a.Ipv4.Address);          // a local VM's IPv4
        Inject("steal-mac", vni, a.GuestMac, "10.73.0.200");              // a local VM's MAC
        Inject("gateway", vni, hostileMacs[1], "10.73.0.1");              // the gateway
        Inject("outside", vni, hostileMacs[2], "10.99.0.5");              // outside the subnet
        Inject("broadcast", vni, hostileMacs[3], "10.73.0.255");          // the subnet's broadcast
        Inject("gateway-mac", vni, GatewayMac, "10.73.0.203");            // the gateway's MAC (every bridge's)
        _fleet.Etcd.Put($"/fireline/endpoints/{Network}/intruder/garbage", "{not json");
        _fleet.Etcd.Put($"/fireline/endpoints/{Network}/intruder/x/extra", $$"""{"vni":{{vni}},"mac":"02:66:00:00:00:06","ipv4":"10.73.0.202","underlay":"{{Intruder}}"}""");
        _fleet.Etcd.Put($"/fireline/endpoints/{Network}/intruder/bad-values", """{"vni":0,"mac":"zz","ipv4":"10.73.0.0/24","underlay":"::1"}""");
        const string believed = "02:66:00:00:00:aa";
        Inject("fair", vni, believed, "10.73.0.201");

        Eventually.True(() => _fleet.Fdb(0).Contains($"{believed} dev vx-{vni} dst {Intruder}", StringComparison.Ordinal),
            $"the well-formed remote entry is programmed (so every injected entry was read); FDB:\n{_fleet.Fdb(0)}");

        var fdb = _fleet.Fdb(0);
        var neighbours = _fleet.PermanentNeighbours(0);
        Assert.DoesNotContain(a.GuestMac, fdb, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(b.GuestMac, fdb, StringComparison.OrdinalIgnoreCase);
        Assert.All(hostileMacs.Append("02:66:00:00:00:06"), mac => Assert.DoesNotContain(mac, fdb + neighbours, StringComparison.Ordinal));
        Assert.DoesNotContain(GatewayMac + " dev vx-", fdb, StringComparison.Ordinal);
        Assert.All(new[] { a.Ipv4.Address, b.Ipv4.Address, "10.73.0.1", "10.73.0.200", "10.99.0.5", "10.73.0.255", "10.73.0.202", "10.73.0.203" },
            address => Assert.DoesNotContain(address + " ", neighbours, StringComparison.Ordinal));
        Assert.Contains("10.73.0.201 ", neighbours, StringComparison.Ordinal);

        Assert.True(guestA.Ping(b.Ipv4.Address), "a local VM still reaches another local VM");
        Assert.True(guestB.Ping(a.Ipv4.Address), "and the other way, to the VM whose address and MAC were claimed");
        Assert.True(guestA.Ping("10.73.0.1"), "and the gateway");
        var status = _fleet.Daemons[0].Send("GET", "/v1/cluster");
        Assert.Equal(200, status.Status);
        Assert.True(status.Json.GetProperty("nodes")[0].GetProperty("alive").GetBoolean(), status.Body);
        _fleet.Create(0, "after", Network); // and still creates VMs
    }

    public void Dispose() => _fleet.Dispose();

    private void Inject(string vmId, int vni, string mac, string ipv4)
        => _fleet.Etcd.Put($"/fireline/endpoints/{Network}/intruder/{vmId}", $$"""{"vni":{{vni}},"mac":"{{mac}}","ipv4":"{{ipv4}}","underlay":"{{Intruder}}"}""");
}
