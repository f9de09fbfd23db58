using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

// The daemon's API path (issue 6, "Speed"), measured from a client on the daemon's Unix socket:
//   1. one client, one kept-alive connection: create and delete latency (p50, p90, p99);
//   2. 32 concurrent clients: errors, unique addresses, throughput;
//   3. --scale VMs (1,000; at most 1,000 per network, a bridge takes 1,023 ports, so 10,000 are spread over ten
//      networks of /22): the daemon's RSS and open descriptors, GET /v1/vms, then a restart: start-up reconcile
//      time and time until it answers.
// FIRELINE_CLI names the fireline executable (api-bench.sh: the NativeAOT publish). Root required.
var sequential = Arg(args, "--sequential", 200);
var clients = Arg(args, "--clients", 32);
var perClient = Arg(args, "--per-client", 16);
var scale = Arg(args, "--scale", 1000);
Console.WriteLine($"fireline: {Cli.Path}");

using var env = new EngineHost();
env.Engine.InitHost(new HostInitRequest());
var networks = (scale + 999) / 1000;
env.Engine.ApplyNetworks("networks:\n" + string.Concat(Enumerable.Range(0, networks).Select(n => $"  - {{name: scale{n}, subnet: 10.140.{4 * n}.0/22}}\n")),
    dryRun: false, prune: false);
env.Engine.Dispose();
using var daemon = new DaemonProcess(env);
var idle = Rss(daemon.ProcessId);
var idleDescriptors = Descriptors(daemon.ProcessId);

// 1. One client, one connection, one request at a time.
for (var i = 0; i < 20; i++)
{
    Ok(daemon.Send("PUT", $"/v1/vms/{env.Host.VmId($"w{i}")}"));
    Ok(daemon.Send("DELETE", $"/v1/vms/{env.Host.VmId($"w{i}")}"));
}

// The same creates and deletes in-process (the engine alone, no API) on a second test host, interleaved
// with the API's so that both see the same kernel (whose namespace clean-up runs in the background).
using var direct = new EngineHost();
direct.Engine.InitHost(new HostInitRequest());
for (var i = 0; i < 20; i++)
{
    direct.Engine.CreateVm(new VmCreateRequest { VmId = direct.Host.VmId($"w{i}") });
    direct.Engine.DeleteVm(direct.Host.VmId($"w{i}"));
}

var creates = new List<double>();
var deletes = new List<double>();
var shows = new List<double>();
var engineCreates = new List<double>();
var engineDeletes = new List<double>();
for (var i = 0; i < sequential; i++)
{
    creates.Add(Time(() => Ok(daemon.Send("PUT", $"/v1/vms/{env.Host.VmId($"s{i}")}"))));
    engineCreates.Add(Time(() => direct.Engine.CreateVm(new VmCreateRequest { VmId = direct.Host.VmId($"e{i}") })));
}

for (var i = 0; i < sequential; i++)
{
    shows.Add(Time(() => Ok(daemon.Send("GET", $"/v1/vms/{env.Host.VmId($"s{i}")}"))));
}

for (var i = 0; i < sequential; i++)
{
    deletes.Add(Time(() => Ok(daemon.Send("DELETE", $"/v1/vms/{env.Host.VmId($"s{i}")}"))));
    engineDeletes.Add(Time(() => direct.Engine.DeleteVm(direct.Host.VmId($"e{i}"))));
}

// 2. Concurrent clients, each on its own connection.
var ids = Enumerable.Range(0, clients * perClient).Select(i => env.Host.VmId($"c{i}")).ToArray();
var addresses = new string?[ids.Length];
var errors = 0;
var clock = Stopwatch.StartNew();
Parallel.For(0, clients, new ParallelOptions { MaxDegreeOfParallelism = clients }, client =>
{
    for (var k = 0; k < perClient; k++)
    {
        var index = client * perClient + k;
        var answer = daemon.Send("PUT", $"/v1/vms/{ids[index]}");
        if (answer.Status == 200)
        {
            addresses[index] = answer.Json.GetProperty("ipv4").GetProperty("address").GetString();
        }
        else
        {
            Interlocked.Increment(ref errors);
        }
    }
});
var createRate = ids.Length / clock.Elapsed.TotalSeconds;
var unique = addresses.Where(a => a is not null).Distinct().Count();
clock.Restart();
Parallel.For(0, clients, new ParallelOptions { MaxDegreeOfParallelism = clients }, client =>
{
    for (var k = 0; k < perClient; k++)
    {
        if (daemon.Send("DELETE", $"/v1/vms/{ids[client * perClient + k]}").Status != 200)
        {
            Interlocked.Increment(ref errors);
        }
    }
});
var deleteRate = ids.Length / clock.Elapsed.TotalSeconds;

// 3. Many VMs: memory, descriptors, the list, then a restart.
var many = Enumerable.Range(0, scale).Select(i => env.Host.VmId($"k{i}")).ToArray();
clock.Restart();
Parallel.For(0, scale, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => Ok(daemon.Send("PUT", $"/v1/vms/{many[i]}", $"{{\"network\":\"scale{i % networks}\"}}")));
var filled = clock.Elapsed.TotalSeconds;
var loaded = Rss(daemon.ProcessId);
var loadedDescriptors = Descriptors(daemon.ProcessId);
// The fill leaves the kernel tearing down the earlier rounds' namespaces for a while: the list is timed once the
// machine has settled (1-minute load below 2, or after 3 minutes), and the load it was timed at is printed.
var settling = Stopwatch.StartNew();
while (LoadAverage() >= 2 && settling.Elapsed < TimeSpan.FromMinutes(3))
{
    Thread.Sleep(TimeSpan.FromSeconds(5));
}

var listLoad = LoadAverage();
var lists = Enumerable.Range(0, 21).Select(_ => Time(() => Ok(daemon.Send("GET", "/v1/vms")))).Skip(1).ToList();
// The daemon keeps a list until the state's next write: each of these follows one (a rate-limit change, not timed),
// so each reads, builds and writes all records again.
var freshLists = Enumerable.Range(0, 20).Select(i =>
{
    Ok(daemon.Send("PATCH", $"/v1/vms/{many[0]}/rate-limits", i % 2 == 0 ? """{"tx":{"bandwidth":{"size":125000,"refillTimeMs":100}}}""" : "{}"));
    return Time(() => Ok(daemon.Send("GET", "/v1/vms")));
}).ToList();
var afterList = Rss(daemon.ProcessId);
if (daemon.Stop() != 0)
{
    throw new InvalidOperationException($"the daemon did not stop cleanly:\n{daemon.Log}");
}

clock.Restart();
daemon.Start();
var restart = clock.Elapsed.TotalMilliseconds;
var reconcile = Regex.Matches(daemon.Log, @"reconcile: (?:state and kernel agree \((\d+) VMs\)|(\d+) actions) in ([\d.]+) ms").Last();
var restarted = Rss(daemon.ProcessId);
var restartedDescriptors = Descriptors(daemon.ProcessId);
Parallel.ForEach(many, new ParallelOptions { MaxDegreeOfParallelism = 8 }, id => Ok(daemon.Send("DELETE", $"/v1/vms/{id}")));

Console.WriteLine();
Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---:|");
Row($"create, 1 client, kept-alive connection (n = {sequential})", Percentiles(creates));
Row($"delete, 1 client, kept-alive connection (n = {sequential})", Percentiles(deletes));
Row($"show (GET /v1/vms/ID), 1 client (n = {sequential}): the API's own round trip", Percentiles(shows));
Row($"create in-process, engine alone (n = {sequential}), for reference", Percentiles(engineCreates));
Row($"delete in-process, engine alone (n = {sequential}), for reference", Percentiles(engineDeletes));
Row($"{clients} concurrent clients: creates ({ids.Length})", $"{createRate:0} VMs/s, {errors} errors, {unique} unique addresses of {ids.Length}");
Row($"{clients} concurrent clients: deletes ({ids.Length})", $"{deleteRate:0} VMs/s");
Row($"{scale} VMs created by 8 clients over {networks} network(s)", $"{filled:0.0} s");
Row("daemon RSS, idle with 0 VMs", Mb(idle));
Row($"daemon RSS with {scale} VMs (after creating them)", Mb(loaded));
Row($"daemon RSS with {scale} VMs (after GET /v1/vms)", Mb(afterList));
Row($"daemon RSS with {scale} VMs (after a restart)", Mb(restarted));
Row($"GET /v1/vms with {scale} VMs, unchanged since the last list (n = {lists.Count}, load {listLoad.ToString("0.00", CultureInfo.InvariantCulture)})", Percentiles(lists));
Row($"GET /v1/vms with {scale} VMs, each after a write (n = {freshLists.Count})", Percentiles(freshLists));
Row($"daemon's open descriptors: idle / with {scale} VMs / after the restart", $"{idleDescriptors} / {loadedDescriptors} / {restartedDescriptors}");
Row($"start-up reconcile of {scale} VMs (the daemon's log)", $"{reconcile.Groups[3].Value} ms ({reconcile.Value})");
Row($"restart with {scale} VMs: process start to /healthz answering", $"{restart:0} ms");
return 0;

static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

static void Row(string measure, string value) => Console.WriteLine($"| {measure} | {value} |");

static string Percentiles(List<double> values)
{
    var sorted = values.Order().ToList();
    double At(double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.5):0.00} ms, p90 {At(0.9):0.00} ms, p99 {At(0.99):0.00} ms");
}

static double Time(Action action)
{
    var started = Stopwatch.GetTimestamp();
    action();
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

static void Ok(DaemonProcess.Answer answer)
{
    if (answer.Status != 200)
    {
        throw new InvalidOperationException($"HTTP {answer.Status}: {answer.Body}");
    }
}

static long Rss(int pid)
    => long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

static int Descriptors(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");

static int Arg(string[] args, string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
