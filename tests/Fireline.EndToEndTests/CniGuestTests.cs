using System.Globalization;
using Fireline.TestSupport;
using Fireline.TestSupport.Cni;

namespace Fireline.EndToEndTests;

/// <summary>
/// A guest on a CNI attachment, configured as firecracker-go-sdk configures one: from the ADD's result alone (its TAP,
/// namespace, MAC and the one IPv4 on the pseudo-interface, as the SDK's <c>ip=</c> boot parameter).
/// </summary>
[Trait("Category", Categories.EndToEnd)]
public sealed class CniGuestTests : IDisposable
{
    private readonly CniHost _host = new();

    [Fact]
    public void A_guest_on_the_tap_of_a_cni_add_reaches_its_gateway_and_the_outside_and_del_leaves_nothing()
    {
        var (ns, path) = _host.NewNamespace();
        var id = _host.ContainerId("guest");
        var conf = VmConf.From(_host.Runtime.Add(id, path, "veth0", "1.0.0").Succeeded().Json, id);
        // What the SDK's IPBootParam writes: client::gateway:netmask::device:off.
        var (address, prefix) = (conf.Address.Split('/')[0], int.Parse(conf.Address.Split('/')[1], CultureInfo.InvariantCulture));
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        var bootArgs = $"ip={address}::{conf.Gateway}:{string.Join('.', new[] { 24, 16, 8, 0 }.Select(shift => (mask >> shift) & 255))}::eth0:off";
        using var outside = OutsideServer.Start(_host.Env.Host);
        var internet = TestHost.OutsideAddress.ToString();
        string[] steps = [Probe.Ping(conf.Gateway), Probe.Ping(internet), Probe.Tcp(internet, OutsideServer.Port)];

        using (var guest = new QemuGuest(conf.NetnsPath, conf.TapName, conf.MacAddress, bootArgs, Probe.Steps(steps)))
        {
            var results = guest.Results();
            Assert.All(steps, step => Assert.True(results[step].Ok, guest.Transcript));
        }

        Assert.Equal(TestHost.HostUplinkAddress.ToString(), outside.FirstPeer());
        _host.Runtime.Delete(id, path, "veth0", "1.0.0").Succeeded();
        _host.AssertNothingLeft(ns);
    }

    public void Dispose() => _host.Dispose();
}
