using Fireline.Host;
using Fireline.Policy;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Policy;

/// <summary>
/// Who reaches whom with the design document's networks and policies, seen from guest stand-ins: the
/// policies, isolation between networks, host protection, anti-spoofing and port forwards, enforced.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class IsolationTests : IDisposable
{
    private readonly EngineHost _env = new();
    private readonly VmRecord _a1;
    private readonly VmRecord _a2;
    private readonly VmRecord _b1;
    private readonly GuestStandIn _guestA1;
    private readonly GuestStandIn _guestA2;
    private readonly GuestStandIn _guestB1;

    public IsolationTests()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.ApplyNetworks(DesignDocumentNetworks.Yaml(withVlans: false), dryRun: false, prune: false);
        _a1 = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("a1"), Network = "customer-a-prod" });
        _a2 = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("a2"), Network = "customer-a-prod" });
        _b1 = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("b1"), Network = "customer-b-dev" });
        _guestA1 = new GuestStandIn(_env.Host, _a1);
        _guestA2 = new GuestStandIn(_env.Host, _a2);
        _guestB1 = new GuestStandIn(_env.Host, _b1);
        foreach (var port in new[] { 80, 22 })
        {
            _guestA1.Listen(port);
            _guestB1.Listen(port);
        }
    }

    [Fact]
    public void Peers_reach_allowed_ports_only_and_other_networks_not_at_all()
    {
        Assert.True(_guestA2.CanConnect(_a1.Ipv4.Address, 80), "allow-http lets a peer in on 80");
        Assert.False(_guestA2.CanConnect(_a1.Ipv4.Address, 22), "deny-all-else stops a peer on 22");
        Assert.False(_guestA2.Ping(_a1.Ipv4.Address), "deny-all-else stops a peer's ping");
        Assert.False(_guestB1.CanConnect(_a1.Ipv4.Address, 80), "another network is isolated even where the policy allows");
        Assert.False(_guestA1.CanConnect(_b1.Ipv4.Address, 22), "and the other way round");
        Assert.True(_guestA1.Ping(_a1.Ipv4.Gateway), "the gateway answers pings");
    }

    [Fact]
    public void Replies_to_allowed_flows_pass_although_new_inbound_traffic_is_denied()
    {
        using var server = OutsideServer.Start(_env.Host);
        Assert.True(_guestA1.CanConnect(TestHost.OutsideAddress.ToString(), OutsideServer.Port));
        Assert.Equal(TestHost.HostUplinkAddress.ToString(), server.FirstPeer());
    }

    [Fact]
    public void A_guest_reaches_no_host_service_and_no_other_gateway()
    {
        var service = Probes.Listen(_env.Host.HostNamespaceName, 9999);
        try
        {
            Assert.False(_guestA1.CanConnect(_a1.Ipv4.Gateway, 9999));
            Assert.False(_guestA1.CanConnect(TestHost.HostUplinkAddress.ToString(), 9999));
            Assert.False(_guestA1.Ping(_b1.Ipv4.Gateway));
            Assert.True(Probes.CanConnect(_env.Host.OutsideNamespaceName, TestHost.HostUplinkAddress.ToString(), 9999), "the service itself is up");
        }
        finally
        {
            Probes.Stop(service);
        }
    }

    [Fact]
    public void A_guest_that_takes_an_address_or_mac_not_its_own_reaches_nothing()
    {
        Assert.True(_guestA2.Ping(_a2.Ipv4.Gateway));
        Ip.Run("-n", _guestA2.Namespace, "addr", "flush", "dev", "eth0");
        Ip.Run("-n", _guestA2.Namespace, "addr", "add", "10.101.0.200/16", "dev", "eth0");
        Ip.Run("-n", _guestA2.Namespace, "route", "add", "default", "via", _a2.Ipv4.Gateway);
        Assert.False(_guestA2.Ping(_a2.Ipv4.Gateway), "a spoofed source address is dropped");
        Assert.False(_guestA2.CanConnect(_a1.Ipv4.Address, 80), "also towards a peer's allowed port");

        Ip.Run("-n", _guestA1.Namespace, "link", "set", "eth0", "address", "06:00:0a:65:00:99");
        Assert.False(_guestA1.Ping(_a1.Ipv4.Gateway), "a changed MAC is dropped");
    }

    [Fact]
    public void The_outside_reaches_an_allowed_port_through_a_forward_and_not_a_denied_one()
    {
        _env.Engine.ForwardPort(_a1.VmId, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 8080, VmPort = 80 });
        _env.Engine.ForwardPort(_a1.VmId, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 2222, VmPort = 22 });

        Assert.True(Probes.CanConnect(_env.Host.OutsideNamespaceName, TestHost.HostUplinkAddress.ToString(), 8080));
        Assert.False(Probes.CanConnect(_env.Host.OutsideNamespaceName, TestHost.HostUplinkAddress.ToString(), 2222));
        Assert.Equal("conflict", Assert.Throws<Errors.FirelineException>(() => _env.Engine.ForwardPort(_a2.VmId, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 8080, VmPort = 80 })).Code);
        Assert.Equal(8080, _env.Engine.ForwardPort(_a1.VmId, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 8080, VmPort = 80 }).HostPort); // the same forward again changes nothing

        _env.Engine.DeleteVm(_a1.VmId);
        Assert.DoesNotContain("8080", _env.Host.InHost("nft", "list", "map", "inet", "fireline", "port_forwards"), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _guestA1.Dispose();
        _guestA2.Dispose();
        _guestB1.Dispose();
        _env.Dispose();
    }
}
