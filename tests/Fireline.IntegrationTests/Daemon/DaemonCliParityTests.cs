using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Daemon;

/// <summary>
/// The CLI with <c>--socket</c> prints exactly what it prints in-process: the same commands run on two test
/// hosts, one with the CLI working in-process, one through a daemon, and stdout, stderr and exit code compared
/// (with each host's name prefix, which VM ids carry, written the same way).
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class DaemonCliParityTests : IDisposable
{
    private readonly EngineHost _local = new();
    private readonly EngineHost _served = new();
    private readonly DaemonProcess _daemon;
    private readonly string _networks;

    public DaemonCliParityTests()
    {
        _local.Engine.Dispose();
        _served.Engine.Dispose();
        _daemon = new DaemonProcess(_served);
        _networks = Path.Combine(_local.StateDirectory, "networks.yaml");
        File.WriteAllText(_networks, """
            networks:
              - name: tenant-a
                subnet: 10.200.0.0/24
                defaultIngress: deny
                policies:
                  - name: web
                    direction: ingress
                    protocol: tcp
                    port: 80-81
                    source: 10.0.0.0/8
                    action: allow
              - name: shaped
                subnet: 10.201.0.0/24
                rateLimiter: tc
            """);
    }

    [Fact]
    public void Every_command_prints_the_same_output_error_and_exit_code_through_the_daemon()
    {
        string[][] commands =
        [
            ["vm", "create", "{p}-early"],
            ["vm", "list"],
            ["host", "status"],
            ["host", "init", "--subnet", "10.100.0.0/33"],
            ["host", "init"],
            ["host", "init"],
            ["host", "status"],
            ["vm", "create", "{p}-a", "--rx-bandwidth", "10M", "--tx-bandwidth", "1MiB/s", "--tx-ops", "2000", "--rx-burst", "4096"],
            ["vm", "create", "{p}-a", "--rx-bandwidth", "10M", "--tx-bandwidth", "1MiB/s", "--tx-ops", "2000", "--rx-burst", "4096"],
            ["vm", "create", "{p}-a"],
            ["vm", "create", "{p}-b", "--tap-owner", "1000", "--tap-group", "1000"],
            ["vm", "create", "-bad"],
            ["vm", "create", "a/b"],
            ["vm", "create", ""],
            ["vm", "create", "{p}-c", "--network", "nope"],
            ["vm", "create", "{p}-c", "--ipv6"],
            ["vm", "create", "{p}-c", "--rx-bandwidth", "fast"],
            ["vm", "show", "{p}-a"],
            ["vm", "show", "{p}-nope"],
            ["vm", "show", "bad id"],
            ["vm", "list"],
            ["vm", "limit", "{p}-a", "--tx-bandwidth", "5M"],
            ["vm", "limit", "{p}-a", "--clear"],
            ["vm", "limit", "{p}-nope", "--clear"],
            ["vm", "forward", "{p}-a", "--host-port", "8080", "--vm-port", "80"],
            ["vm", "forward", "{p}-a", "--host-port", "8080", "--vm-port", "80"],
            ["vm", "forward", "{p}-b", "--host-port", "8080", "--vm-port", "80"],
            ["vm", "forward", "{p}-b", "--host-port", "8081", "--vm-port", "80", "--proto", "sctp"],
            ["network", "apply", "-f", "{networks}", "--dry-run"],
            ["network", "apply", "-f", "{networks}"],
            ["network", "apply", "-f", "{networks}"],
            ["network", "apply", "-f", "/nonexistent.yaml"],
            ["vm", "create", "{p}-s", "--network", "shaped", "--rx-bandwidth", "1M"],
            ["vm", "create", "{p}-o", "--network", "shaped", "--rx-ops", "100"],
            ["network", "list"],
            ["network", "show", "tenant-a"],
            ["network", "show", "nope"],
            ["network", "show", "a/b"],
            ["network", "delete", "default"],
            ["network", "delete", "tenant-a"],
            ["network", "delete", "tenant-a"],
            ["reconcile"],
            ["vm", "delete", "{p}-a"],
            ["vm", "delete", "{p}-a"],
            ["vm", "delete", "-bad"],
            ["vm", "list"],
        ];

        foreach (var command in commands)
        {
            foreach (var format in new[] { "json", "table" })
            {
                var local = Run(_local, ["-o", format, .. command]);
                var served = Run(_served, ["--socket", _daemon.Socket, "-o", format, .. command]);
                var what = $"fireline -o {format} {string.Join(' ', command)}";
                Assert.True(local.ExitCode == served.ExitCode, $"{what}: exit {local.ExitCode} in-process, {served.ExitCode} through the daemon ({served.StandardError})");
                Assert.True(local.StandardOutput == served.StandardOutput, $"{what}: stdout differs:\n{local.StandardOutput}\n---\n{served.StandardOutput}");
                Assert.True(local.StandardError == served.StandardError, $"{what}: stderr differs:\n{local.StandardError}\n---\n{served.StandardError}");
            }
        }
    }

    /// <summary>Runs the command against one host; its prefix is written as {p} in the output, as in the command.</summary>
    private Tool.Result Run(EngineHost env, string[] arguments)
    {
        var scope = env == _local ? env.CliScope : [];
        var result = Cli.Run([.. scope, .. arguments.Select(a => a.Replace("{p}", env.Host.Prefix, StringComparison.Ordinal).Replace("{networks}", _networks, StringComparison.Ordinal))]);
        return result with
        {
            StandardOutput = result.StandardOutput.Replace(env.Host.Prefix, "{p}", StringComparison.Ordinal),
            StandardError = result.StandardError.Replace(env.Host.Prefix, "{p}", StringComparison.Ordinal),
        };
    }

    public void Dispose()
    {
        _daemon.Dispose();
        _served.Dispose();
        _local.Dispose();
    }
}
