using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Fireline.TestSupport;

/// <summary>
/// A three-member etcd cluster (Debian's etcd-server) for one test: every member on loopback ports of a network
/// namespace of its own (<c>flt&lt;pid&gt;-N-etcd</c>, so the machine's own loopback is never used and parallel runs
/// never collide), data in a private temporary directory. Daemons reach it by running in that namespace
/// (<see cref="Launcher"/>), with their host namespace named by <c>--host-netns</c> as usual. Dispose kills the
/// members and removes the namespace and the data, whatever the test did; a run that died is swept by
/// <see cref="TestHost"/>'s sweep of dead runs (the name carries the pid).
/// </summary>
public sealed class EtcdCluster : IDisposable
{
    public const int Members = 3;

    // Numbered apart from TestHost's prefixes (flt<pid>-<n>-), which their Dispose removes by prefix.
    private static int _counter = 100_000;
    private readonly List<(Process Process, StringBuilder Log)> _members = [];
    private bool _disposed;

    public EtcdCluster()
    {
        Name = string.Create(CultureInfo.InvariantCulture, $"flt{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}-etcd");
        DataDirectory = Directory.CreateTempSubdirectory("fireline-etcd-").FullName;
        try
        {
            Ip.Run("netns", "add", Name);
            Ip.Run("-n", Name, "link", "set", "lo", "up");
            for (var i = 0; i < Members; i++)
            {
                _members.Add(Launch(i));
            }

            Eventually.True(() => Enumerable.Range(0, Members).All(Healthy), $"etcd members healthy; logs:\n{Logs}", seconds: 60);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    public string NamespacePath => "/var/run/netns/" + Name;

    public string DataDirectory { get; }

    /// <summary>The members' client URLs, the value of <c>--cluster-etcd</c>.</summary>
    public string ClientUrls => string.Join(',', Enumerable.Range(0, Members).Select(ClientUrl));

    /// <summary>Runs a daemon inside the cluster's namespace, so that it reaches the members on loopback.</summary>
    public IReadOnlyList<string> Launcher => ["nsenter", $"--net={NamespacePath}", "--"];

    /// <summary>Every member's log so far (for failure messages).</summary>
    public string Logs => string.Join('\n', _members.Select((m, i) => { lock (m.Log) { return $"--- m{i}\n{m.Log}"; } }));

    public static string ClientUrl(int member) => $"http://127.0.0.1:{2379 + (member * 10_000)}";

    private static string PeerUrl(int member) => $"http://127.0.0.1:{2380 + (member * 10_000)}";

    /// <summary>
    /// Writes a key as anything with access to etcd could (its JSON gateway, <c>POST /v3/kv/put</c>; there is no etcdctl
    /// here): what the hostile-entry tests inject.
    /// </summary>
    public void Put(string key, string value)
    {
        var body = $$"""{"key":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(key))}}","value":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}}"}""";
        var answer = Tool.TryRun("nsenter", $"--net={NamespacePath}", "--", "curl", "-sf", "--max-time", "5", "-X", "POST", "-d", body, ClientUrl(0) + "/v3/kv/put");
        if (answer.ExitCode != 0)
        {
            throw new InvalidOperationException($"etcd put {key}: {answer.StandardError}");
        }
    }

    /// <summary>Kills one member (SIGKILL): the other two keep the quorum.</summary>
    public void Stop(int member)
    {
        var process = _members[member].Process;
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>Kills every member (SIGKILL): etcd is unreachable from then on.</summary>
    public void StopAll()
    {
        for (var i = 0; i < _members.Count; i++)
        {
            Stop(i);
        }
    }

    /// <summary>Starts every stopped member again on its data (etcd is back) and waits until all are healthy.</summary>
    public void Resume()
    {
        for (var i = 0; i < _members.Count; i++)
        {
            if (_members[i].Process.HasExited)
            {
                _members[i].Process.Dispose();
                _members[i] = Launch(i);
            }
        }

        Eventually.True(() => Enumerable.Range(0, Members).All(Healthy), $"etcd members healthy again; logs:\n{Logs}", seconds: 60);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        StopAll();
        foreach (var (process, _) in _members)
        {
            process.Dispose();
        }

        _ = Tool.TryRun("ip", "netns", "del", Name);
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <remarks>On a member's existing data, etcd ignores the initial-cluster flags and rejoins as it was.</remarks>
    private (Process Process, StringBuilder Log) Launch(int member)
    {
        var cluster = string.Join(',', Enumerable.Range(0, Members).Select(i => $"m{i}={PeerUrl(i)}"));
        string[] command =
        [
            .. Launcher, "etcd", "--name", $"m{member}", "--data-dir", Path.Combine(DataDirectory, $"m{member}"),
            "--listen-client-urls", ClientUrl(member), "--advertise-client-urls", ClientUrl(member),
            "--listen-peer-urls", PeerUrl(member), "--initial-advertise-peer-urls", PeerUrl(member),
            "--initial-cluster", cluster, "--initial-cluster-token", Name, "--initial-cluster-state", "new",
        ];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start etcd");
        var log = new StringBuilder();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (log)
                {
                    log.AppendLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, log);
    }

    private bool Healthy(int member)
        => Tool.TryRun("nsenter", $"--net={NamespacePath}", "--", "curl", "-sf", "--max-time", "2", ClientUrl(member) + "/health").StandardOutput
            .Contains("\"health\":\"true\"", StringComparison.Ordinal);
}
