using Fireline.Host;
using Fireline.IntegrationTests.Security;
using Fireline.TestSupport;
using Fireline.TestSupport.Wire;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Networks;

/// <summary>
/// A test host with a network of two segments (<c>seg</c>, 10.140.0.0/23: bridge br-seg for 10.140.0.0/24 and a
/// segment bridge for 10.140.1.0/24; dual stack, fd00:140::/64) whose ingress policy denies TCP 22, and a one-segment
/// network <c>other</c>. Its
/// first segment is filled (254 VMs), so the VM made next is the second segment's first: <see cref="Near"/> is on
/// segment 0, <see cref="Far"/> on segment 1, <see cref="Stranger"/> on the other network; each a stand-in with a raw
/// socket beside its stack.
/// </summary>
public sealed class SegmentsHost : IDisposable
{
    public const string Networks = """
        networks:
          - name: seg
            subnet: 10.140.0.0/23
            ipv6: fd00:140::/64
            policies:
              - {name: no-ssh, direction: ingress, protocol: tcp, port: 22, action: deny}
          - name: other
            subnet: 10.141.0.0/24
        """;

    private readonly List<IDisposable> _owned = [];

    public SegmentsHost()
    {
        try
        {
            Env = new EngineHost();
            _owned.Add(Env);
            Env.Engine.InitHost(new HostInitRequest());
            Env.Engine.ApplyNetworks(Networks, dryRun: false, prune: false);
            Near = Guest("near", "seg");
            Fillers = [.. Enumerable.Range(0, 253).AsParallel().WithDegreeOfParallelism(4)
                .Select(i => Env.Engine.CreateVm(new VmCreateRequest { VmId = Env.Host.VmId($"f{i}"), Network = "seg" }))];
            Far = Guest("far", "seg");
            Stranger = Guest("stranger", "other");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EngineHost Env { get; } = null!;

    public Guest Near { get; } = null!;

    public Guest Far { get; } = null!;

    public Guest Stranger { get; } = null!;

    /// <summary>The VMs that fill segment 0 (no stand-in: their addresses are what a liar claims).</summary>
    public IReadOnlyList<VmRecord> Fillers { get; } = [];

    private Guest Guest(string name, string network)
    {
        var vm = Env.Engine.CreateVm(new VmCreateRequest { VmId = Env.Host.VmId(name), Network = network, Ipv6 = network == "seg" });
        var standIn = Own(new GuestStandIn(Env.Host, vm));
        var wire = Own(new RawWire($"/var/run/netns/{standIn.Namespace}", "eth0"));
        return new Guest(vm, standIn, wire);
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }
    }
}
