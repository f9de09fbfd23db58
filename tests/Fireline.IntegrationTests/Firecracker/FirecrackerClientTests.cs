using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Fireline.Errors;
using Fireline.Firecracker;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Firecracker;

/// <summary>
/// The client against <see cref="FakeFirecracker"/>, which checks every body against Firecracker's schema: no root
/// needed, no Firecracker binary or KVM on these machines.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class FirecrackerClientTests : IDisposable
{
    private const string Ip = "ip=10.100.0.2::10.100.0.1:255.255.0.0::eth0:off";

    private static readonly NetworkInterface Eth0 = new()
    {
        IfaceId = "eth0",
        HostDevName = "tap0",
        GuestMac = "06:00:0a:64:00:02",
        RxRateLimiter = new RateLimiter { Bandwidth = TokenBucket.ForBandwidth(10_000_000) },
    };

    private readonly FakeFirecracker _vmm = new();
    private readonly FirecrackerClient _client;

    public FirecrackerClientTests() => _client = new FirecrackerClient(_vmm.SocketPath);

    public void Dispose()
    {
        _client.Dispose();
        _vmm.Dispose();
    }

    [Theory]
    [InlineData("Not started", VmmState.NotStarted)]
    [InlineData("Running", VmmState.Running)]
    [InlineData("Paused", VmmState.Paused)]
    public void Reads_the_instance_state(string reported, VmmState state)
    {
        _vmm.State = reported;

        Assert.Equal(state, _client.GetInstanceInfo().State);
    }

    [Fact]
    public void Attaching_before_boot_puts_the_interface_with_firecrackers_field_names()
    {
        var result = _client.Attach(new AttachRequest { Interface = Eth0 });

        Assert.Equal(VmmState.NotStarted, result.State);
        Assert.Equal(["PUT /network-interfaces/eth0"], result.Requests);
        var put = Assert.Single(_vmm.Requests, r => r.Method == "PUT");
        Assert.Equal(("/network-interfaces/eth0", 204), (put.Path, put.Status));
        Assert.Equal(["iface_id", "host_dev_name", "guest_mac", "rx_rate_limiter"], put.Json.Select(p => p.Key));
        Assert.Equal(
            """{"iface_id":"eth0","host_dev_name":"tap0","guest_mac":"06:00:0a:64:00:02","rx_rate_limiter":{"bandwidth":{"size":1000000,"refill_time":100}}}""",
            put.Body);
        Assert.Equal("tap0", (string?)_vmm.Interface("eth0")!["host_dev_name"]);
        AssertAllAccepted();
    }

    [Fact]
    public void Attaching_before_boot_sets_mmds_after_the_interface_and_merges_the_ip_argument_into_the_boot_source()
    {
        var result = _client.Attach(new AttachRequest
        {
            Interface = Eth0,
            BootArgs = Ip,
            BootSource = new BootSource { KernelImagePath = "/images/vmlinux", BootArgs = "console=ttyS0 ip=dhcp reboot=k" },
            Mmds = new MmdsConfig { NetworkInterfaces = ["eth0"], Ipv4Address = "169.254.170.2" },
        });

        Assert.Equal(["PUT /network-interfaces/eth0", "PUT /mmds/config", "PUT /boot-source"], result.Requests);
        Assert.Equal($"console=ttyS0 {Ip} reboot=k", (string?)_vmm.BootSource!["boot_args"]);
        Assert.Equal("/images/vmlinux", (string?)_vmm.BootSource!["kernel_image_path"]);
        Assert.Equal("""{"version":"V2","network_interfaces":["eth0"],"ipv4_address":"169.254.170.2"}""", _vmm.MmdsConfig!.ToJsonString());
        AssertAllAccepted();
    }

    [Fact]
    public void Attaching_before_boot_merges_into_the_boot_source_the_vmm_already_has()
    {
        _client.PutBootSource(new BootSource { KernelImagePath = "/images/vmlinux", BootArgs = "console=ttyS0 ip=dhcp", InitrdPath = "/images/initrd" });

        _client.Attach(new AttachRequest { Interface = Eth0, BootArgs = Ip });

        Assert.Contains(_vmm.Requests, r => r is { Method: "GET", Path: "/vm/config" });
        Assert.Equal(
            $$"""{"kernel_image_path":"/images/vmlinux","boot_args":"console=ttyS0 {{Ip}}","initrd_path":"/images/initrd"}""",
            _vmm.BootSource!.ToJsonString());
        AssertAllAccepted();
    }

    [Fact]
    public void The_fake_answers_vm_config_without_a_boot_source_as_firecracker_does()
    {
        // Firecracker's default BootSourceConfig as serde writes it (src/vmm/src/vmm_config/boot_source.rs): the
        // section is there, with an empty kernel path, before any PUT /boot-source.
        var config = JsonNode.Parse(_client.Send(HttpMethod.Get, "/vm/config", null))!;

        Assert.Equal("""{"kernel_image_path":"","initrd_path":null,"boot_args":null}""", config["boot-source"]!.ToJsonString());
    }

    [Fact]
    public void Attaching_before_the_boot_source_puts_the_interface_and_mmds_and_says_the_address_must_reach_the_guest_another_way()
    {
        var result = _client.Attach(new AttachRequest
        {
            Interface = Eth0,
            BootArgs = Ip,
            Mmds = new MmdsConfig { NetworkInterfaces = ["eth0"] },
        });

        Assert.Equal(["PUT /network-interfaces/eth0", "PUT /mmds/config"], result.Requests);
        Assert.Equal("tap0", (string?)_vmm.Interface("eth0")!["host_dev_name"]);
        Assert.NotNull(_vmm.MmdsConfig);
        Assert.Null(_vmm.BootSource);
        var note = Assert.Single(result.Skipped);
        Assert.Contains($"no boot source yet, so '{Ip}' did not reach it", note, StringComparison.Ordinal);
        Assert.Contains("the VM record's bootArgs", note, StringComparison.Ordinal);
        Assert.Contains("MMDS", note, StringComparison.Ordinal);
        AssertAllAccepted();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Attaching_before_or_after_the_orchestrator_sets_the_boot_source_leaves_the_same_vmm(bool bootSourceFirst)
    {
        var orchestrators = new BootSource { KernelImagePath = "/images/vmlinux", BootArgs = "console=ttyS0 reboot=k" };
        var attach = new AttachRequest { Interface = Eth0, BootArgs = Ip };
        if (bootSourceFirst)
        {
            _client.PutBootSource(orchestrators);
            Assert.Empty(_client.Attach(attach).Skipped);
        }
        else
        {
            Assert.Single(_client.Attach(attach).Skipped);
            _client.PutBootSource(orchestrators);
            // The orchestrator's PUT replaced the boot source without Fireline's argument; a second attach adds it.
            Assert.Empty(_client.Attach(attach).Skipped);
        }

        Assert.Equal($"console=ttyS0 reboot=k {Ip}", (string?)_vmm.BootSource!["boot_args"]);
        Assert.Equal("/images/vmlinux", (string?)_vmm.BootSource!["kernel_image_path"]);
        Assert.Equal("tap0", (string?)_vmm.Interface("eth0")!["host_dev_name"]);
        AssertAllAccepted();
    }

    [Fact]
    public void Attaching_a_running_vm_patches_only_its_rate_limiters()
    {
        _client.Attach(new AttachRequest { Interface = Eth0 });
        _vmm.State = "Running";
        var before = _vmm.Requests.Count;
        var faster = Eth0 with
        {
            RxRateLimiter = new RateLimiter { Bandwidth = TokenBucket.ForBandwidth(50_000_000) },
            TxRateLimiter = new RateLimiter { Ops = new TokenBucket { Size = 1000, OneTimeBurst = 100, RefillTime = 1000 } },
        };

        var result = _client.Attach(new AttachRequest { Interface = faster, BootArgs = Ip, Mmds = new MmdsConfig { NetworkInterfaces = ["eth0"] } });

        Assert.Equal(VmmState.Running, result.State);
        Assert.Equal(["PATCH /network-interfaces/eth0"], result.Requests);
        Assert.Contains(result.Skipped, s => s.StartsWith("MMDS", StringComparison.Ordinal));
        var sent = _vmm.Requests.Skip(before).ToList();
        Assert.Equal(["GET /", "GET /vm/config", "PATCH /network-interfaces/eth0"], sent.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(
            """{"iface_id":"eth0","rx_rate_limiter":{"bandwidth":{"size":5000000,"refill_time":100}},"tx_rate_limiter":{"ops":{"size":1000,"one_time_burst":100,"refill_time":1000}}}""",
            sent[2].Body);
        Assert.Equal(5_000_000, (long)_vmm.Interface("eth0")!["rx_rate_limiter"]!["bandwidth"]!["size"]!);
        AssertAllAccepted();
    }

    [Fact]
    public void A_limiter_the_record_no_longer_has_is_removed_from_the_running_vm()
    {
        _client.Attach(new AttachRequest { Interface = Eth0 });
        _vmm.State = "Paused";

        _client.Attach(new AttachRequest { Interface = Eth0 with { RxRateLimiter = null } });

        var patch = Assert.Single(_vmm.Requests, r => r.Method == "PATCH");
        Assert.Equal("""{"iface_id":"eth0","rx_rate_limiter":{"bandwidth":{"size":0,"refill_time":0}}}""", patch.Body);
        Assert.Null(_vmm.Interface("eth0")!["rx_rate_limiter"]);
        AssertAllAccepted();
    }

    [Fact]
    public void Attaching_a_running_vm_that_already_matches_sends_no_change()
    {
        _client.Attach(new AttachRequest { Interface = Eth0 });
        _vmm.State = "Running";

        var result = _client.Attach(new AttachRequest { Interface = Eth0 });

        Assert.Empty(result.Requests);
        Assert.DoesNotContain(_vmm.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public void A_running_guest_booted_without_firelines_ip_argument_is_reported_not_changed()
    {
        var boot = new BootSource { KernelImagePath = "/images/vmlinux", BootArgs = "console=ttyS0" };
        _client.Attach(new AttachRequest { Interface = Eth0, BootArgs = Ip, BootSource = boot });
        _vmm.State = "Running";

        var same = _client.Attach(new AttachRequest { Interface = Eth0, BootArgs = Ip });
        var moved = _client.Attach(new AttachRequest { Interface = Eth0, BootArgs = "ip=10.100.0.9::10.100.0.1:255.255.0.0::eth0:off" });

        Assert.Empty(same.Skipped);
        var note = Assert.Single(moved.Skipped);
        Assert.StartsWith($"kernel arguments: the guest booted with 'console=ttyS0 {Ip}'", note, StringComparison.Ordinal);
        Assert.DoesNotContain(_vmm.Requests, r => r.Method == "PUT" && r.Path == "/boot-source" && r.Status >= 400);
    }

    [Theory]
    [InlineData("tap9", "06:00:0a:64:00:02", "hostDevName", "TAP 'tap0'")]
    [InlineData("tap0", "06:00:0a:64:00:09", "guestMac", "MAC '06:00:0a:64:00:02'")]
    public void A_changed_tap_or_mac_on_a_running_vm_is_an_error_that_says_so(string tap, string mac, string field, string shown)
    {
        _client.Attach(new AttachRequest { Interface = Eth0 });
        _vmm.State = "Running";

        var error = Assert.Throws<FirelineException>(() => _client.Attach(new AttachRequest { Interface = Eth0 with { HostDevName = tap, GuestMac = mac } }));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal(field, error.Field);
        Assert.Contains(shown, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot change a started VM's TAP or MAC", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_vmm.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public void A_running_vm_without_the_interface_is_an_error_not_a_put()
    {
        _vmm.State = "Running";

        var error = Assert.Throws<FirelineException>(() => _client.Attach(new AttachRequest { Interface = Eth0 }));

        Assert.Contains("adds interfaces only before boot", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_vmm.Requests, r => r.Method != "GET");
    }

    [Fact]
    public void Mmds_config_is_put_with_firecrackers_fields()
    {
        _client.PutNetworkInterface(Eth0);

        _client.PutMmdsConfig(new MmdsConfig { Version = MmdsVersion.V1, NetworkInterfaces = ["eth0"] });

        var put = _vmm.Requests[^1];
        Assert.Equal(("PUT", "/mmds/config", 204), (put.Method, put.Path, put.Status));
        Assert.Equal("""{"version":"V1","network_interfaces":["eth0"]}""", put.Body);
    }

    [Fact]
    public void Firecrackers_fault_message_is_surfaced_with_status_and_path()
    {
        var error = Assert.Throws<FirecrackerApiException>(() => _client.PutMmdsConfig(new MmdsConfig { NetworkInterfaces = ["eth1"] }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(("PUT", "/mmds/config"), (error.Method, error.Path));
        Assert.Contains("does not correspond to any existing network interface", error.FaultMessage, StringComparison.Ordinal);
        Assert.Equal(_vmm.Requests[^1].FaultMessage, error.FaultMessage);
        Assert.Contains("PUT /mmds/config (400)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pre_boot_put_on_a_running_vm_comes_back_as_firecrackers_refusal()
    {
        _vmm.State = "Running";

        var error = Assert.Throws<FirecrackerApiException>(() => _client.PutNetworkInterface(Eth0));

        Assert.Equal("The requested operation is not supported after starting the microVM.", error.FaultMessage);
    }

    [Theory]
    [InlineData("PUT", """{"iface_id":"eth0","host_dev_name":"tap0","rx_rate_limiter":{"bytes":{"size":1,"refill_time":1}}}""", "unknown field `rx_rate_limiter.bytes`")]
    [InlineData("PUT", """{"iface_id":"eth0","host_dev_name":"tap0","guest_mac":"06:00:0a:64:00:02","mac":"x"}""", "unknown field `mac`")]
    [InlineData("PUT", """{"iface_id":"eth0","guest_mac":"06:00:0a:64:00:02"}""", "missing field `host_dev_name`")]
    [InlineData("PUT", """{"iface_id":"eth0","host_dev_name":"tap0","tx_rate_limiter":{"ops":{"size":"10","refill_time":1}}}""", "at `tx_rate_limiter.ops.size`")]
    [InlineData("PUT", """{"iface_id":"eth0","host_dev_name":"tap0","rx_rate_limiter":{"bandwidth":{"size":-1,"refill_time":1}}}""", "integer `-1`")]
    [InlineData("PUT", """{"iface_id":"eth1","host_dev_name":"tap0"}""", "does not match the id from the body")]
    [InlineData("PATCH", """{"iface_id":"eth0","host_dev_name":"tap1"}""", "unknown field `host_dev_name`")]
    [InlineData("PATCH", """{"iface_id":"eth0","rx_rate_limiter":{"bandwidth":{"size":1}}}""", "missing field `rx_rate_limiter.bandwidth.refill_time`")]
    public void The_fake_refuses_a_body_that_breaks_firecrackers_schema_naming_the_field(string method, string body, string named)
    {
        _vmm.State = method == "PATCH" ? "Running" : FakeFirecracker.NotStarted;

        var error = Assert.Throws<FirecrackerApiException>(
            () => _client.Send(new HttpMethod(method), "/network-interfaces/eth0", Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains(named, error.FaultMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_socket_is_vmm_not_reachable_at_its_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nofc-{Guid.NewGuid():N}.sock");
        using var client = new FirecrackerClient(path);

        var error = Assert.Throws<VmmUnreachableException>(client.GetInstanceInfo);

        Assert.Equal(path, error.SocketPath);
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.StartsWith($"VMM not reachable at {path}: no such socket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_socket_nobody_listens_on_is_vmm_not_reachable_refused()
    {
        // Bound but not listening, as a VMM's socket looks between its bind and its listen. (Disposing the socket
        // would not do: .NET removes the file of a Unix socket it bound when it closes it.)
        var path = Path.Combine(Path.GetTempPath(), $"deadfc-{Guid.NewGuid():N}.sock");
        using var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        dead.Bind(new UnixDomainSocketEndPoint(path));
        using var client = new FirecrackerClient(path);

        var error = Assert.Throws<VmmUnreachableException>(client.GetInstanceInfo);

        Assert.StartsWith($"VMM not reachable at {path}: connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vmm_that_does_not_answer_times_out_as_not_reachable()
    {
        _vmm.Stalled = true;
        using var client = new FirecrackerClient(_vmm.SocketPath, TimeSpan.FromMilliseconds(300));

        var error = Assert.Throws<VmmUnreachableException>(client.GetInstanceInfo);

        Assert.Contains("no answer to GET / within 0.3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_input_is_refused_before_anything_is_sent()
    {
        var slow = Eth0 with { RxRateLimiter = new RateLimiter { Bandwidth = new TokenBucket { Size = 1000, RefillTime = 0 } } };

        var error = Assert.Throws<FirelineException>(() => _client.Attach(new AttachRequest { Interface = slow }));

        Assert.Equal("rx.bandwidth.refillTimeMs", error.Field);
        Assert.Empty(_vmm.Requests);
    }

    private void AssertAllAccepted()
        => Assert.All(_vmm.Requests, r => Assert.True(r.Status < 400, $"{r.Method} {r.Path} {r.Body}: {r.FaultMessage}"));
}
