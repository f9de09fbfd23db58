using Fireline.Host;
using Fireline.Linux;
using Fireline.Service;
using Fireline.TestSupport;
using Fireline.Vms;
using Microsoft.Win32.SafeHandles;

namespace Fireline.IntegrationTests.Engine;

/// <summary>
/// A host of the library that holds thousands of descriptors (a daemon with many connections, a test run).
/// libnftables, which Fireline used before, waited on its socket with select() and aborted the whole process when
/// that socket's descriptor was 1024 or more; nothing Fireline uses now cares which descriptor it gets.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class DescriptorTests : IDisposable
{
    private readonly EngineHost _env = new();
    private readonly List<SafeFileHandle> _held = [];

    [Fact]
    public void With_two_thousand_descriptors_open_the_engine_still_changes_the_firewall()
    {
        Hold(2000);

        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.ApplyNetworks(
            "networks: [{name: crowded, subnet: 10.210.0.0/24, policies: [{name: web, direction: ingress, protocol: tcp, port: 80, action: allow}]}]",
            dryRun: false, prune: false);
        var vm = _env.Engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("crowded"), Network = "crowded" });

        var inet = _env.Host.InHost("nft", "list", "table", "inet", "fireline");
        Assert.Contains("tcp dport 80 accept comment \"web\"", inet, StringComparison.Ordinal);
        Assert.Contains(vm.HostVeth, _env.Host.InHost("nft", "list", "set", "bridge", "fireline", "vm_ipv4"), StringComparison.Ordinal);
        _env.Engine.DeleteVm(vm.VmId);
        Assert.DoesNotContain(vm.HostVeth, _env.Host.InHost("nft", "list", "set", "bridge", "fireline", "vm_ipv4"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_opened_with_no_descriptor_free_below_1024_works()
    {
        _env.Engine.Dispose(); // its descriptors are low ones: the next engine must get only high ones
        Hold(1100);

        var engine = _env.Reopen();
        engine.InitHost(new HostInitRequest());
        var vm = engine.CreateVm(new VmCreateRequest { VmId = _env.Host.VmId("high") });

        Assert.Contains(vm.HostVeth, _env.Host.InHost("nft", "list", "set", "bridge", "fireline", "vm_ipv4"), StringComparison.Ordinal);
    }

    /// <summary>Takes the lowest free descriptors until the process holds at least <paramref name="count"/> more.</summary>
    private void Hold(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _held.Add(File.OpenHandle("/dev/null"));
        }
    }

    public void Dispose()
    {
        foreach (var handle in _held)
        {
            handle.Dispose();
        }

        _env.Dispose();
    }
}
