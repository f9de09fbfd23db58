using Fireline.Host;
using Fireline.IntegrationTests.Policy;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.EndToEndTests;

/// <summary>
/// The design document's two networks in a test host with three serving guests: a1 and a2 on customer-a-prod
/// (tcp 80 and 443 in, everything else denied), b1 on customer-b-dev (ssh from the office only, else allowed).
/// a1 listens on 80 and 22, b1 on 22. Booted once for the tests of a class: a boot costs seconds of emulation.
/// </summary>
public sealed class DesignDocumentGuests : IDisposable
{
    public const string NetworkA = "customer-a-prod";
    public const string NetworkB = "customer-b-dev";

    public DesignDocumentGuests()
    {
        try
        {
            Env.Engine.InitHost(new HostInitRequest());
            Env.Engine.ApplyNetworks(DesignDocumentNetworks.Yaml(withVlans: false), dryRun: false, prune: false);
            A1 = Env.Engine.CreateVm(new VmCreateRequest { VmId = Env.Host.VmId("a1"), Network = NetworkA });
            A2 = Env.Engine.CreateVm(new VmCreateRequest { VmId = Env.Host.VmId("a2"), Network = NetworkA });
            B1 = Env.Engine.CreateVm(new VmCreateRequest { VmId = Env.Host.VmId("b1"), Network = NetworkB });
            // Each guest proves its own listeners up from inside (loopback passes no policy) and reaches its
            // gateway: a connection that fails later fails at Fireline, not in the guest.
            GuestA1 = QemuGuest.Boot(A1, Probe.Steps(
                Probe.ListenTcp(80), Probe.ListenTcp(22), Probe.Tcp("127.0.0.1", 80), Probe.Tcp("127.0.0.1", 22), Probe.Ping(A1.Ipv4.Gateway), Probe.Serve));
            GuestA2 = QemuGuest.Boot(A2, Probe.Steps(Probe.Ping(A2.Ipv4.Gateway), Probe.Serve));
            GuestB1 = QemuGuest.Boot(B1, Probe.Steps(Probe.ListenTcp(22), Probe.Tcp("127.0.0.1", 22), Probe.Ping(B1.Ipv4.Gateway), Probe.Serve));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EngineHost Env { get; } = new();

    public VmRecord A1 { get; } = null!;

    public VmRecord A2 { get; } = null!;

    public VmRecord B1 { get; } = null!;

    public QemuGuest GuestA1 { get; } = null!;

    public QemuGuest GuestA2 { get; } = null!;

    public QemuGuest GuestB1 { get; } = null!;

    /// <summary>Waits for every guest's boot and fails with its console when a set-up step did not pass.</summary>
    public void AssertBooted()
    {
        foreach (var guest in new[] { GuestA1, GuestA2, GuestB1 })
        {
            Assert.All(guest.Results().Values, r => Assert.True(r.Ok, $"{r.Step} failed at boot\n{guest.Transcript}"));
        }
    }

    public void Dispose()
    {
        GuestA1?.Dispose();
        GuestA2?.Dispose();
        GuestB1?.Dispose();
        Env.Dispose();
    }
}
