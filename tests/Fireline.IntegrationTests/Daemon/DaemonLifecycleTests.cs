using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Fireline.Faults;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Daemon;

/// <summary>
/// The daemon as a service: it owns the state directory, reconciles before it serves, stops on SIGTERM without
/// touching any VM's datapath, guards its socket, reads its configuration file and environment, and logs
/// structured lines.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class DaemonLifecycleTests : IDisposable
{
    private readonly EngineHost _env = new();

    public DaemonLifecycleTests()
    {
        _env.Engine.InitHost(new HostInitRequest());
        _env.Engine.Dispose();
    }

    [Fact]
    public void An_in_process_cli_on_the_daemons_state_is_told_to_use_the_socket()
    {
        using var daemon = new DaemonProcess(_env);

        var result = Cli.Run([.. _env.CliScope, "-o", "json", "vm", "list"]);

        Assert.Equal(1, result.ExitCode);
        var error = KernelState.Json(result.StandardError).GetProperty("error");
        Assert.Equal("state-locked", error.GetProperty("code").GetString());
        Assert.Contains("daemon", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("--socket", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, daemon.Cli("vm", "list").ExitCode);
    }

    [Fact]
    public void A_second_daemon_on_the_same_state_is_refused_and_the_first_keeps_serving()
    {
        using var daemon = new DaemonProcess(_env);

        var second = Cli.Run([.. _env.CliScope, "--socket", daemon.Socket + "2", "-o", "json", "serve"]);

        Assert.Equal(1, second.ExitCode);
        Assert.Equal("state-locked", KernelState.Json(second.StandardError).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(200, daemon.Send("GET", "/healthz").Status);
    }

    [Fact]
    public void Start_up_reconcile_undoes_a_create_cut_short_by_a_crash_before_the_socket_opens()
    {
        var id = _env.Host.VmId("crashed");
        var crashed = Cli.Run([.. _env.CliScope, "vm", "create", id], new Dictionary<string, string> { [FaultPoints.Variable] = "create.veth" });
        Assert.NotEqual(0, crashed.ExitCode);
        Assert.True(Ip.NamespaceExists($"vm-{id}"), "the crash left the VM's namespace behind");

        using var daemon = new DaemonProcess(_env);

        Assert.Matches($@"reconcile: undo-create {id}: removed .*; released 10\.100\.0\.2", daemon.Log);
        Assert.Empty(daemon.Send("GET", "/v1/vms").Json.EnumerateArray());
        Assert.False(Ip.NamespaceExists($"vm-{id}"));
        Assert.Equal(200, daemon.Send("PUT", $"/v1/vms/{id}").Status);
    }

    [Fact]
    public void Sigterm_stops_the_daemon_and_a_guests_ping_stream_runs_through_a_restart_without_loss()
    {
        var daemon = new DaemonProcess(_env);
        try
        {
            var answer = daemon.Send("PUT", $"/v1/vms/{_env.Host.VmId("steady")}");
            var vm = JsonSerializer.Deserialize<VmRecord>(answer.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            using var guest = new GuestStandIn(_env.Host, vm);
            Assert.True(guest.Ping(vm.Ipv4.Gateway));

            using var ping = StartPing(guest, vm.Ipv4.Gateway);
            Thread.Sleep(2000);
            Assert.Equal(0, daemon.Stop());
            Assert.False(File.Exists(daemon.Socket), "the socket is removed on stop");
            Assert.Contains("stopped; every VM's network stays in place", daemon.Log, StringComparison.Ordinal);
            Assert.True(Ip.NamespaceExists(vm.Namespace));
            Thread.Sleep(2000);
            daemon.Start();
            Assert.Equal(answer.Body, daemon.Send("GET", $"/v1/vms/{vm.VmId}").Body);
            Assert.Contains("reconcile: state and kernel agree (1 VMs)", daemon.Log, StringComparison.Ordinal);

            Assert.True(ping.WaitForExit(TimeSpan.FromSeconds(60)), "ping did not finish");
            using var pingOutput = ping.StandardOutput; // read directly: Process.Dispose leaves it open
            var output = pingOutput.ReadToEnd();
            Assert.Contains("50 packets transmitted, 50 received, 0% packet loss", output, StringComparison.Ordinal);
        }
        finally
        {
            daemon.Dispose();
        }
    }

    [Fact]
    public void Under_systemd_it_reports_ready_once_listening_and_a_storm_of_sigterms_stops_it_cleanly()
    {
        var result = UnderSystemd("ready");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        // SIGTERM every 5 ms from READY=1 until it exits: the later ones land while it shuts down.
        Assert.Equal(["READY=1 socket=True", "STOPPING=1", "exit 0"], result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("<6>fireline.daemon", result.StandardError, StringComparison.Ordinal); // journald's priority prefix
    }

    [Fact]
    public void Sigterms_while_it_starts_stop_it_cleanly()
    {
        var result = UnderSystemd("starting");

        // SIGTERM every 5 ms from its first log line on, before it listens: it stops, never dies of the signal.
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal("exit 0", result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Contains("stopped; every VM's network stays in place", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_env.StateDirectory, "notify-test.sock")), "no socket is left behind");
    }

    [Fact]
    public void A_daemon_of_another_state_directory_cannot_take_a_socket_in_use()
    {
        using var first = new DaemonProcess(_env);
        using var other = new EngineHost();
        other.Engine.Dispose();

        var second = Cli.Run([.. other.CliScope, "--socket", first.Socket, "-o", "json", "serve"]);

        Assert.Equal(1, second.ExitCode);
        var error = KernelState.Json(second.StandardError).GetProperty("error");
        Assert.Equal("conflict", error.GetProperty("code").GetString());
        Assert.Contains("already listens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(first.Socket));
        Assert.Equal(200, first.Send("GET", "/healthz").Status);
    }

    [Fact]
    public void The_socket_is_mode_0660_owned_by_the_socket_group_and_reachable_only_through_it()
    {
        using var daemon = new DaemonProcess(_env, ["--socket-group", "4242"]);

        var stat = Tool.Run("stat", "-c", "%a %g %F", daemon.Socket).Trim();

        Assert.Equal("660 4242 socket", stat);
    }

    [Fact]
    public void A_stale_socket_file_from_a_killed_daemon_is_replaced()
    {
        using var first = new DaemonProcess(_env);
        var socket = first.Socket;
        Tool.Run("kill", "-KILL", first.ProcessId.ToString(CultureInfo.InvariantCulture));
        Eventually.True(() => !first.TryAnswer(), "the killed daemon stops answering", 10);
        Assert.True(File.Exists(socket));

        first.Start();

        Assert.Equal(200, first.Send("GET", "/healthz").Status);
    }

    [Fact]
    public void The_configuration_file_sets_up_host_and_networks_and_the_environment_overrides_it()
    {
        var config = Path.Combine(_env.StateDirectory, "fireline.yaml");
        File.WriteAllText(config, """
            # a daemon's configuration
            logFormat: text
            host:
              uplink: uplink0
              subnet: 10.100.0.0/16
            networks:
              - name: tenant-a
                subnet: 10.200.0.0/24
                policies:
                  - name: web
                    direction: ingress
                    protocol: tcp
                    port: 80
                    action: allow
            """);
        using var daemon = new DaemonProcess(_env, ["--config", config], new Dictionary<string, string> { ["FIRELINE_LOG_FORMAT"] = "json" });

        Assert.NotNull(Ip.Link(_env.Host.HostNamespaceName, "br-tenant-a"));
        var id = _env.Host.VmId("json");
        Assert.Equal(200, daemon.Send("PUT", $"/v1/vms/{id}", """{"network":"tenant-a"}""").Status);
        Assert.Equal(404, daemon.Send("GET", $"/v1/vms/{_env.Host.VmId("missing")}").Status);

        // A request's log line is written after its answer: wait for both requests' lines.
        List<System.Text.Json.JsonElement> Lines() => [.. daemon.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(KernelState.Json)];
        Eventually.True(() => Lines().Count(l => l.GetProperty("Message").GetString()!.StartsWith("PUT ", StringComparison.Ordinal) || l.GetProperty("EventId").GetInt32() == 2) >= 2,
            "the daemon logs both requests");
        var lines = Lines();
        Assert.Contains(lines, l => l.GetProperty("Message").GetString() == "networks from the configuration file: tenant-a create");
        var request = Assert.Single(lines, l => l.GetProperty("Message").GetString()!.StartsWith($"PUT /v1/vms/{id} -> 200", StringComparison.Ordinal));
        var scope = request.GetProperty("Scopes").EnumerateArray().Single(s => s.TryGetProperty("vmId", out _));
        Assert.Equal(id, scope.GetProperty("vmId").GetString());
        Assert.Equal("vm.create", scope.GetProperty("operation").GetString());
        var refusal = lines.Where(l => l.GetProperty("EventId").GetInt32() == 2).Select(l => l.GetProperty("Scopes").EnumerateArray().Single(s => s.TryGetProperty("vmId", out _))).Single();
        Assert.Equal("vm.show", refusal.GetProperty("operation").GetString());
    }

    [Fact]
    public void A_configuration_refused_at_start_is_logged_and_the_daemon_serves()
    {
        // Since the configuration was written, another program took the bridge name it gives a network.
        Ip.Run("-n", _env.Host.HostNamespaceName, "link", "add", "br-taken", "type", "bridge");
        var config = Path.Combine(_env.StateDirectory, "fireline.yaml");
        File.WriteAllText(config, "networks:\n  - name: taken\n    subnet: 10.201.0.0/24\n    bridge: br-taken\n");

        using var daemon = new DaemonProcess(_env, ["--config", config]);

        Assert.Equal(200, daemon.Send("GET", "/healthz").Status);
        Assert.Contains("the configuration file's networks was refused (bridge-in-use)", daemon.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("taken", daemon.Send("GET", "/v1/networks").Body, StringComparison.Ordinal);
        Assert.Equal(200, daemon.Send("PUT", $"/v1/vms/{_env.Host.VmId("served")}").Status);
    }

    [Theory]
    [InlineData("socket: /tmp/x.sock\nsockets: 2\n", "unknown key 'sockets'")]
    [InlineData("host:\n  uplnk: eth0\n", "unknown key 'host.uplnk'")]
    [InlineData("networks:\n  - name: a\n    subnet: 10.0.0.0/33\n", "line 3")]
    [InlineData("logFormat: xml\n", "--log-format")]
    [InlineData("listen: 127.0.0.1:7070\n", "--token-file")]
    public void A_bad_configuration_is_bad_input_and_starts_nothing(string yaml, string expected)
    {
        var config = Path.Combine(_env.StateDirectory, "bad.yaml");
        File.WriteAllText(config, yaml);
        var socket = Path.Combine(_env.StateDirectory, "never.sock");

        var result = Cli.Run([.. _env.CliScope, "-o", "table", "--config", config, "--socket", socket, "serve"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public void The_tcp_listener_lives_in_the_host_namespace_and_serves_only_requests_that_carry_the_token()
    {
        const int Port = 19_101;
        const string Token = "0123456789abcdef0123456789abcdef";
        var token = Path.Combine(_env.StateDirectory, "token");
        File.WriteAllText(token, Token + "\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var daemon = new DaemonProcess(_env, ["--listen", $"{TestHost.HostUplinkAddress}:{Port}", "--token-file", token]);
        var url = $"http://{TestHost.HostUplinkAddress}:{Port}/v1/vms";
        var outside = _env.Host.OutsideNamespaceName;

        var anonymous = Probes.Http(outside, url);
        Assert.Equal("401", anonymous.Status);
        Assert.Contains("unauthorized", anonymous.Body, StringComparison.Ordinal);
        Assert.Equal("401", Probes.Http(outside, url, "-H", "Authorization: Bearer 0123456789abcdef0123456789abcdee").Status);
        Assert.Equal("200", Probes.Http(outside, url, "-H", $"Authorization: Bearer {Token}").Status);
        Assert.Equal(200, daemon.Send("GET", "/v1/vms").Status); // the Unix socket needs none
    }

    private Tool.Result UnderSystemd(string stormFrom)
    {
        var socket = Path.Combine(_env.StateDirectory, "notify-test.sock");
        return Tool.TryRun("python3", ["-c", SystemdStandIn, stormFrom, TestSupport.Cli.Path, .. _env.CliScope, "--socket", socket], TimeSpan.FromSeconds(90));
    }

    /// <summary>
    /// systemd as far as a Type=notify service sees it: a parent process named "systemd" and a NOTIFY_SOCKET.
    /// Starts the daemon and sends it SIGTERM every 5 ms until it exits, from READY=1 on ("ready") or from its
    /// first log line on ("starting"); prints each notification and the exit code; the daemon's log goes to stderr.
    /// </summary>
    private const string SystemdStandIn = """
        import ctypes, os, socket, subprocess, sys, time
        mode, command, path = sys.argv[1], sys.argv[2:], sys.argv[-1] + ".notify"
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        notify.bind(path)
        notify.settimeout(60)
        ctypes.CDLL(None).prctl(15, b"systemd", 0, 0, 0)
        daemon = subprocess.Popen([*command, "serve"], env=dict(os.environ, NOTIFY_SOCKET=path), stdout=subprocess.PIPE, text=True)
        log = []
        try:
            if mode == "ready":
                print(notify.recv(4096).decode().strip(), "socket=" + str(os.path.exists(sys.argv[-1])), flush=True)
            else:
                log.append(daemon.stdout.readline())
            while daemon.poll() is None:
                daemon.terminate()
                time.sleep(0.005)
            notify.setblocking(False)
            while True:
                try:
                    print(notify.recv(4096).decode().strip(), flush=True)
                except BlockingIOError:
                    break
        finally:
            if daemon.poll() is None:
                daemon.kill()
            print("exit", daemon.wait(), flush=True)
            sys.stderr.write("".join(log) + daemon.stdout.read())
            os.unlink(path)
        """;

    private static Process StartPing(GuestStandIn guest, string address)
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { $"--net=/var/run/netns/{guest.Namespace}", "--", "ping", "-i", "0.2", "-c", "50", "-W", "1", address })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start ping");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _env.Dispose();
}
