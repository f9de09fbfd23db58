using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Fireline.Errors;
using Fireline.Host;
using Fireline.Policy;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Engine;

/// <summary>
/// A port forward never takes a port from a service of the host namespace: a port on which a socket listens there
/// (TCP, or UDP bound) is refused, and the service keeps answering; a port below 1024 needs the caller to say so
/// (<c>--allow-privileged-port</c>, <c>allowPrivilegedPort</c>). A refusal names <c>hostPort</c> and changes nothing.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class PortForwardTests : IDisposable
{
    private readonly EngineHost _env = new();
    private readonly string _vm;

    public PortForwardTests()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("fwd") }).VmId;
    }

    private string Outside => _env.Host.OutsideNamespaceName;

    private static string Uplink => TestHost.HostUplinkAddress.ToString();

    [Fact]
    public void A_port_a_host_service_listens_on_is_refused_and_the_service_keeps_it()
    {
        var service = Probes.Listen(_env.Host.HostNamespaceName, 2200);
        try
        {
            var ruleset = Ruleset();

            var error = Assert.Throws<FirelineException>(() => _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 2200, VmPort = 80 }));

            Assert.Equal("conflict", error.Code);
            Assert.Equal("hostPort", error.Field);
            Assert.Contains("tcp 0.0.0.0:2200", error.Message, StringComparison.Ordinal);
            Assert.Equal(ruleset, Ruleset());
            Assert.True(Probes.CanConnect(Outside, Uplink, 2200), "the host's service still answers on its port");
        }
        finally
        {
            Probes.Stop(service);
        }

        Assert.Equal(2200, _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 2200, VmPort = 80 }).HostPort); // free again
    }

    [Fact]
    public void Udp_and_ipv6_sockets_count_each_for_their_own_protocol()
    {
        using var udp = InHost(AddressFamily.InterNetwork, SocketType.Dgram, new IPEndPoint(IPAddress.Any, 5300));
        using var tcp6 = InHost(AddressFamily.InterNetworkV6, SocketType.Stream, new IPEndPoint(IPAddress.IPv6Any, 2201));
        tcp6.Listen();

        Assert.Equal("conflict", Assert.Throws<FirelineException>(() => _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = ForwardProtocol.Udp, HostPort = 5300, VmPort = 53 })).Code);
        Assert.Contains("[::]:2201", Assert.Throws<FirelineException>(() => _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 2201, VmPort = 80 })).Message, StringComparison.Ordinal);
        Assert.Equal(5300, _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 5300, VmPort = 53 }).HostPort); // nothing listens on TCP 5300
        Assert.Equal(2201, _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = ForwardProtocol.Udp, HostPort = 2201, VmPort = 80 }).HostPort);
    }

    [Fact]
    public void A_protocol_that_does_not_exist_is_refused_by_the_engine_and_changes_nothing()
    {
        var ruleset = Ruleset();

        var error = Assert.Throws<FirelineException>(() => _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = (ForwardProtocol)10, HostPort = 2300, VmPort = 80 }));

        Assert.Equal(("invalid-argument", "protocol"), (error.Code, error.Field));
        Assert.Equal(ruleset, Ruleset());
    }

    [Fact]
    public void A_port_below_1024_needs_to_be_asked_for_and_is_still_refused_when_a_service_has_it()
    {
        var ruleset = Ruleset();

        var error = Assert.Throws<FirelineException>(() => _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 22, VmPort = 22 }));

        Assert.Equal(("invalid-argument", "hostPort"), (error.Code, error.Field));
        Assert.Contains("`allowPrivilegedPort`", error.Message, StringComparison.Ordinal);
        Assert.Equal(ruleset, Ruleset());
        Assert.Equal(80, _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 80, VmPort = 80, AllowPrivilegedPort = true }).HostPort);
        var service = Probes.Listen(_env.Host.HostNamespaceName, 443);
        try
        {
            Assert.Equal("conflict", Assert.Throws<FirelineException>(() => _env.Engine.ForwardPort(_vm, new ForwardRequest { Protocol = ForwardProtocol.Tcp, HostPort = 443, VmPort = 443, AllowPrivilegedPort = true })).Code);
        }
        finally
        {
            Probes.Stop(service);
        }
    }

    [Fact]
    public void The_cli_and_the_api_take_the_flag_and_name_the_field()
    {
        _env.Engine.Dispose();
        using var daemon = new DaemonProcess(_env);
        var path = $"/v1/vms/{_vm}/forwards";

        var cli = daemon.Cli("-o", "json", "vm", "forward", _vm, "--host-port", "81", "--vm-port", "80");
        Assert.Equal(2, cli.ExitCode);
        Assert.Equal("hostPort", JsonDocument.Parse(cli.StandardError).RootElement.GetProperty("error").GetProperty("field").GetString());
        Assert.Contains("--allow-privileged-port", JsonDocument.Parse(cli.StandardError).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, daemon.Cli("vm", "forward", _vm, "--host-port", "81", "--vm-port", "80", "--allow-privileged-port").ExitCode);

        var refused = daemon.Send("POST", path, """{"hostPort":82,"vmPort":80}""");
        Assert.Equal((400, "hostPort"), (refused.Status, refused.Json.GetProperty("field").GetString()));
        Assert.Equal(200, daemon.Send("POST", path, """{"hostPort":82,"vmPort":80,"allowPrivilegedPort":true}""").Status);
        var service = Probes.Listen(_env.Host.HostNamespaceName, 2202);
        try
        {
            var taken = daemon.Send("POST", path, """{"hostPort":2202,"vmPort":80}""");
            Assert.Equal((409, "conflict", "hostPort"), (taken.Status, taken.Json.GetProperty("code").GetString(), taken.Json.GetProperty("field").GetString()));
        }
        finally
        {
            Probes.Stop(service);
        }
    }

    /// <summary>The host namespace's whole nftables ruleset, as nft prints it: what a refused forward must leave as it was.</summary>
    private string Ruleset() => _env.Host.InHost("nft", "list", "ruleset");

    /// <summary>A socket bound in the test host's namespace, as a service of that host would be.</summary>
    private Socket InHost(AddressFamily family, SocketType type, IPEndPoint at)
        => _env.Host.HostNamespace.Run(() =>
        {
            var socket = new Socket(family, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
            try
            {
                socket.Bind(at);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });

    public void Dispose() => _env.Dispose();
}
