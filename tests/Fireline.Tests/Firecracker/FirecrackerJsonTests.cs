using System.Text.Json;
using Fireline.Firecracker;

namespace Fireline.Tests.Firecracker;

/// <summary>The bodies as sent, byte for byte: Firecracker's field names, absent optional fields left out.</summary>
public sealed class FirecrackerJsonTests
{
    [Fact]
    public void A_network_interface_has_exactly_firecrackers_fields()
    {
        var body = new NetworkInterface
        {
            IfaceId = "eth0",
            HostDevName = "tap0",
            GuestMac = "06:00:0a:64:00:02",
            RxRateLimiter = new RateLimiter { Bandwidth = TokenBucket.ForBandwidth(10_000_000) },
            TxRateLimiter = new RateLimiter { Ops = new TokenBucket { Size = 100, OneTimeBurst = 10, RefillTime = 1000 } },
        };

        Assert.Equal(
            """{"iface_id":"eth0","host_dev_name":"tap0","guest_mac":"06:00:0a:64:00:02","rx_rate_limiter":{"bandwidth":{"size":1000000,"refill_time":100}},"tx_rate_limiter":{"ops":{"size":100,"one_time_burst":10,"refill_time":1000}}}""",
            JsonSerializer.Serialize(body, FirecrackerJson.Default.NetworkInterface));
    }

    [Fact]
    public void A_network_interface_without_limiters_leaves_them_out()
        => Assert.Equal(
            """{"iface_id":"eth0","host_dev_name":"tap0","guest_mac":"06:00:0a:64:00:02"}""",
            JsonSerializer.Serialize(new NetworkInterface { IfaceId = "eth0", HostDevName = "tap0", GuestMac = "06:00:0a:64:00:02" }, FirecrackerJson.Default.NetworkInterface));

    [Fact]
    public void A_patch_carries_the_id_and_rate_limiters_only()
        => Assert.Equal(
            """{"iface_id":"eth0","rx_rate_limiter":{"bandwidth":{"size":0,"refill_time":0}}}""",
            JsonSerializer.Serialize(
                new PartialNetworkInterface { IfaceId = "eth0", RxRateLimiter = new RateLimiter { Bandwidth = new TokenBucket { Size = 0, RefillTime = 0 } } },
                FirecrackerJson.Default.PartialNetworkInterface));

    [Fact]
    public void Mmds_config_spells_the_version_as_firecracker_does()
    {
        Assert.Equal(
            """{"version":"V2","network_interfaces":["eth0"],"ipv4_address":"169.254.170.2"}""",
            JsonSerializer.Serialize(new MmdsConfig { NetworkInterfaces = ["eth0"], Ipv4Address = "169.254.170.2" }, FirecrackerJson.Default.MmdsConfig));
        Assert.Equal(
            """{"version":"V1","network_interfaces":["eth0","eth1"]}""",
            JsonSerializer.Serialize(new MmdsConfig { Version = MmdsVersion.V1, NetworkInterfaces = ["eth0", "eth1"] }, FirecrackerJson.Default.MmdsConfig));
    }

    [Fact]
    public void A_boot_source_leaves_out_what_it_lacks()
    {
        Assert.Equal(
            """{"kernel_image_path":"/k/vmlinux","boot_args":"console=ttyS0"}""",
            JsonSerializer.Serialize(new BootSource { KernelImagePath = "/k/vmlinux", BootArgs = "console=ttyS0" }, FirecrackerJson.Default.BootSource));
        Assert.Equal(
            """{"kernel_image_path":"/k/vmlinux","initrd_path":"/k/initrd"}""",
            JsonSerializer.Serialize(new BootSource { KernelImagePath = "/k/vmlinux", InitrdPath = "/k/initrd" }, FirecrackerJson.Default.BootSource));
    }

    [Theory]
    [InlineData("Not started", VmmState.NotStarted)]
    [InlineData("Running", VmmState.Running)]
    [InlineData("Paused", VmmState.Paused)]
    public void Instance_info_reads_each_state(string text, VmmState state)
    {
        var info = JsonSerializer.Deserialize(
            $$"""{"id":"anonymous-instance","state":"{{text}}","vmm_version":"1.12.0","app_name":"Firecracker"}""",
            FirecrackerJson.Default.InstanceInfo)!;

        Assert.Equal(state, info.State);
        Assert.Equal("1.12.0", info.VmmVersion);
    }

    [Fact]
    public void Vm_config_is_read_with_nulls_unknown_fields_and_missing_macs()
    {
        var config = JsonSerializer.Deserialize(
            """
            {"balloon":null,"drives":[],"boot-source":{"kernel_image_path":"/vmlinux","initrd_path":null,"boot_args":"console=ttyS0 ip=dhcp"},
             "machine-config":{"vcpu_count":2,"mem_size_mib":256,"smt":false},
             "network-interfaces":[{"iface_id":"eth0","host_dev_name":"tap0","guest_mac":null,"mtu":1500,
               "rx_rate_limiter":{"bandwidth":{"size":1000,"one_time_burst":null,"refill_time":100},"ops":null},"tx_rate_limiter":null}]}
            """,
            FirecrackerJson.Default.VmConfigView)!;

        Assert.Equal("console=ttyS0 ip=dhcp", config.BootSource!.BootArgs);
        var eth0 = Assert.Single(config.NetworkInterfaces!);
        Assert.Null(eth0.GuestMac);
        Assert.Equal(1000, eth0.RxRateLimiter!.Bandwidth!.Size);
        Assert.Null(eth0.RxRateLimiter.Ops);
        Assert.Null(eth0.TxRateLimiter);
    }
}
