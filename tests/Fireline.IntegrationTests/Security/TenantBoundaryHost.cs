using System.Net;
using Fireline.Addressing;
using Fireline.Host;
using Fireline.Linux;
using Fireline.TestSupport;
using Fireline.TestSupport.Wire;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Security;

/// <summary>
/// A test host with two dual-stack networks and two guests on each, every guest with a raw socket on its TAP
/// (through a stand-in) that writes frames as a lying guest would and records what reaches it:
/// <list type="bullet">
/// <item><c>closed</c> (10.210.0.0/24, fd00:210::/64): ingress denied by default; UDP 9999 allowed (the sentinel
/// port), TCP 7000 allowed from its own subnet only ("peers only").</item>
/// <item><c>open</c> (10.211.0.0/24, fd00:211::/64): ingress allowed by default; egress rules name the metadata
/// address 169.254.169.254 and a host network (10.250.0.0/24, on the host's <c>lan0</c>).</item>
/// </list>
/// </summary>
public sealed class TenantBoundaryHost : IDisposable
{
    public const int SentinelPort = 9999;
    public const int PeersOnlyPort = 7000;

    public const string Networks = """
        networks:
          - name: closed
            subnet: 10.210.0.0/24
            ipv6: fd00:210::/64
            defaultIngress: deny
            policies:
              - {name: sentinel, direction: ingress, protocol: udp, port: 9999, action: allow}
              - {name: peers-only, direction: ingress, protocol: tcp, port: 7000, source: 10.210.0.0/24, action: allow}
          - name: open
            subnet: 10.211.0.0/24
            ipv6: fd00:211::/64
            policies:
              - {name: metadata, direction: egress, destination: 169.254.169.254/32, action: allow}
              - {name: lan, direction: egress, destination: 10.250.0.0/24, action: allow}
        """;

    private readonly List<IDisposable> _owned = [];

    public TenantBoundaryHost()
    {
        try
        {
            Env = new EngineHost();
            _owned.Add(Env);
            Env.Engine.InitHost(new HostInitRequest());
            Env.Engine.ApplyNetworks(Networks, dryRun: false, prune: false);
            C1 = Guest("c1", "closed");
            C2 = Guest("c2", "closed");
            O1 = Guest("o1", "open");
            O2 = Guest("o2", "open");
            Uplink = Own(new RawWire($"/var/run/netns/{Env.Host.OutsideNamespaceName}", TestHost.UplinkName));
            UplinkMac = Mac(Env.Host.HostNamespaceName, TestHost.UplinkName);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EngineHost Env { get; } = null!;

    public Guest C1 { get; } = null!;

    public Guest C2 { get; } = null!;

    public Guest O1 { get; } = null!;

    public Guest O2 { get; } = null!;

    /// <summary>A raw socket on the outside namespace's end of the uplink: a host on the uplink's network.</summary>
    public RawWire Uplink { get; } = null!;

    /// <summary>The host's uplink MAC: where a host on the uplink's network sends frames for the host.</summary>
    public MacAddress UplinkMac { get; }

    public static MacAddress Mac(string ns, string link) => MacAddress.Parse(Ip.Link(ns, link)!.Value.GetProperty("address").GetString()!);

    public T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>A UDP datagram to the guest's global IPv4 or IPv6 address on the sentinel port (allowed on both networks).</summary>
    public static byte[] Sentinel(Guest from, Guest to, bool ipv6, byte[] marker)
        => RawFrames.Udp(to.Mac, from.Mac, ipv6 ? from.Ipv6 : from.Ipv4, ipv6 ? to.Ipv6 : to.Ipv4, 40000, SentinelPort, marker);

    private Guest Guest(string name, string network)
    {
        var vm = Env.Engine.CreateVm(new VmCreateRequest { VmId = Env.Host.VmId(name), Network = network, Ipv6 = true });
        var standIn = Own(new GuestStandIn(Env.Host, vm));
        var wire = Own(new RawWire($"/var/run/netns/{standIn.Namespace}", "eth0"));
        return new Guest(vm, standIn, wire);
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }
}

/// <summary>One guest: its record, its stand-in (a real stack on its TAP) and a raw socket beside that stack.</summary>
public sealed record Guest(VmRecord Vm, GuestStandIn StandIn, RawWire Wire)
{
    public MacAddress Mac => MacAddress.Parse(Vm.GuestMac);

    public IPAddress Ipv4 => IPAddress.Parse(Vm.Ipv4.Address);

    public IPAddress Ipv6 => IPAddress.Parse(Vm.Ipv6!.Address);

    /// <summary>The link-local address the guest's kernel forms from its MAC.</summary>
    public IPAddress LinkLocal => Ipv6Prefix.LinkLocal(Mac);

    public IPAddress Gateway4 => IPAddress.Parse(Vm.Ipv4.Gateway);

    public IPAddress Gateway6 => IPAddress.Parse(Vm.Ipv6!.Gateway);
}
