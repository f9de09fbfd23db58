using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Fireline.Cli.Output;
using Fireline.Errors;
using Fireline.Host;
using Fireline.Policy;
using Fireline.Service;
using Fireline.Vms;

namespace Fireline.Cli.Demo;

/// <summary>
/// <c>fireline demo</c>, the main job: builds a private test host, applies the design document's tenant
/// networks, creates three VMs, boots real guests on their TAPs, and shows what each reached and what was
/// refused: policies, isolation, NAT, anti-spoofing and port forwards, enforced. Everything is removed on exit,
/// also on Ctrl-C.
/// </summary>
internal static class DemoCommand
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var guestDir = new Option<string?>("--guest-dir") { Description = "The guest image (default: guest/out, built by scripts/setup.sh)", HelpName = "DIR" };
        var command = new Command("demo", "Build a private test host and show VMs networked, isolated and policed (removes everything on exit)") { guestDir };
        command.SetAction(parse =>
        {
            var printer = new Printer(GlobalOptions.FormatOf(parse), Console.Out, Console.Error);
            try
            {
                var report = Run(GuestImage.Find(parse.GetValue(guestDir)), printer.Format == OutputFormat.Table ? Console.Out : TextWriter.Null);
                printer.Print(report, CliJson.Output.DemoReport, PrintTable);
                return report.AsExpected == report.Total ? ExitCodes.Success : ExitCodes.Failure;
            }
            catch (Exception) when (Interrupted)
            {
                Console.Error.WriteLine("fireline demo: interrupted; everything it made has been removed");
                return 130;
            }
            catch (FirelineException failure)
            {
                return printer.Fail(failure);
            }
        });
        return command;
    }

    /// <summary>Set by Ctrl-C or SIGTERM: whatever the demo was waiting for then fails, and that is not an error.</summary>
    private static volatile bool Interrupted;

    private static DemoReport Run(GuestImage image, TextWriter progress)
    {
        var guests = new List<DemoGuest>();
        using var cancel = new CancellationTokenSource();
        // Ctrl-C or SIGTERM: stop the guests so every wait ends, and let the finally blocks clean up.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var stateDirectory = Directory.CreateTempSubdirectory("fireline-demo-").FullName;
        using var host = new DemoHost();
        var clock = Stopwatch.StartNew();
        var records = new List<VmRecord>();
        FirelineEngine? engine = null;
        try
        {
            engine = FirelineEngine.Open(new EngineOptions { StateDirectory = stateDirectory, HostNamespace = host.Host });
            progress.WriteLine($"private test host {host.Prefix}-host (uplink {DemoHost.HostAddress}, \"internet\" {DemoHost.OutsideAddress} in {host.Prefix}-out)");
            engine.InitHost(new HostInitRequest { Uplink = DemoHost.Uplink });
            engine.ApplyNetworks(DemoScenario.Networks(), dryRun: false, prune: false);
            progress.WriteLine("networks from the design document: customer-a-prod 10.101.0.0/16 (allow tcp 80, 443; deny the rest inbound), customer-b-dev 10.102.0.0/16 (ssh from 203.0.113.0/24)");
            foreach (var (name, network) in DemoScenario.Vms)
            {
                records.Add(engine.CreateVm(new VmCreateRequest { VmId = $"{host.Prefix}-{name}", Network = network }));
            }

            progress.WriteLine("VMs: " + string.Join(", ", records.Select((r, i) => $"{DemoScenario.Vms[i].Name} {r.Ipv4.Address} ({r.Network}, {r.TapDevice} in {r.Namespace})")));
            engine.ForwardPort(records[0].VmId, new ForwardRequest { HostPort = 8080, VmPort = 80 });
            engine.ForwardPort(records[0].VmId, new ForwardRequest { HostPort = 2222, VmPort = 22 });
            progress.WriteLine("port forwards: host 8080 -> a1:80, host 2222 -> a1:22");
            progress.Write($"booting {records.Count} guests (QEMU, software emulation) on their TAPs...");
            progress.Flush();
            for (var i = 0; i < records.Count; i++)
            {
                guests.Add(new DemoGuest(DemoScenario.Vms[i].Name, records[i], image));
            }

            Parallel.ForEach(guests, g => g.WaitReady(BootTimeout));
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $" ready after {clock.Elapsed.TotalSeconds:0.0} s"));
            var results = Probe(guests, host, cancel.Token);
            cancel.Token.ThrowIfCancellationRequested();
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalSeconds:0.0} s; removing everything"));
            return new DemoReport($"{host.Prefix}-host", [.. records.Select(r => $"{r.VmId} {r.Ipv4.Address} {r.Network}")], results,
                results.Count(r => r.AsExpected), results.Count);
        }
        finally
        {
            foreach (var guest in guests)
            {
                guest.Dispose();
            }

            foreach (var record in records)
            {
                engine?.DeleteVm(record.VmId);
            }

            engine?.Dispose();
            Directory.Delete(stateDirectory, recursive: true);
        }

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Interrupted = true;
            cancel.Cancel();
            foreach (var guest in guests.ToArray())
            {
                guest.Kill();
            }
        }
    }

    private static List<DemoResult> Probe(List<DemoGuest> guests, DemoHost host, CancellationToken cancel)
    {
        var (a1, a2, b1) = (guests[0], guests[1], guests[2]);
        var target = a1.Vm.Ipv4.Address;
        var gateway = a2.Vm.Ipv4.Gateway;
        a1.Probe("listen-tcp:80", ProbeTimeout);
        a1.Probe("listen-tcp:22", ProbeTimeout);
        var results = new List<DemoResult>();
        void Check(DemoGuest from, string step, string to, string traffic, bool expect, string why)
        {
            cancel.ThrowIfCancellationRequested();
            var (ok, detail) = from.Probe(step, ProbeTimeout);
            results.Add(new DemoResult(from.Name, to, traffic, expect, ok, why.Replace("{detail}", detail, StringComparison.Ordinal)));
        }

        Check(a2, $"tcp:{target}:80:5", $"a1 {target}", "tcp/80", true, "same network; policy allow-http");
        Check(a2, $"tcp:{target}:22:2", $"a1 {target}", "tcp/22", false, "policy deny-all-else");
        Check(a2, $"ping:{target}:2", $"a1 {target}", "ping", false, "policy deny-all-else");
        Check(b1, $"tcp:{target}:80:2", $"a1 {target}", "tcp/80", false, "another network: isolated, whatever the policy says");
        Check(a2, $"ping:{gateway}:5", $"gateway {gateway}", "ping", true, "the host answers ICMP to a VM's own gateway");
        Check(a2, $"tcp:{gateway}:22:2", $"host {gateway}", "tcp/22", false, "host protection: no host service for guests");
        Check(a2, $"tcp:{DemoHost.OutsideAddress}:{DemoHost.ServerPort}:5", $"internet {DemoHost.OutsideAddress}", $"tcp/{DemoHost.ServerPort}", true,
            "NAT out of the uplink; the server answered: {detail}");
        Check(a2, $"spoof-ip:10.101.9.9:{gateway}:2", $"gateway {gateway}", "ping from 10.101.9.9", false, "anti-spoofing: not a2's address");
        Check(a2, $"spoof-mac:06:00:0a:65:09:09:{gateway}:2", $"gateway {gateway}", "ping from a foreign MAC", false, "anti-spoofing: not a2's MAC");
        cancel.ThrowIfCancellationRequested();
        results.Add(new DemoResult("internet", $"host {DemoHost.HostAddress}:8080 -> a1:80", "tcp", true, host.OutsideConnects(8080), "port forward; policy allow-http"));
        results.Add(new DemoResult("internet", $"host {DemoHost.HostAddress}:2222 -> a1:22", "tcp", false, host.OutsideConnects(2222), "port forward; policy deny-all-else"));
        return results;
    }

    private static void PrintTable(DemoReport report, TextWriter output)
    {
        output.WriteLine();
        var table = new Table("FROM", "TO", "TRAFFIC", "EXPECTED", "SEEN", "", "WHY");
        foreach (var r in report.Results)
        {
            table.Add(r.From, r.To, r.Traffic, r.ExpectReached ? "reached" : "refused", r.Reached ? "reached" : "refused", r.AsExpected ? "ok" : "WRONG", r.Why);
        }

        table.WriteTo(output);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.AsExpected} of {report.Total} as expected. Everything the demo made has been removed."));
    }
}
