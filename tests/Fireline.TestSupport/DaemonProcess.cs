using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Fireline.TestSupport;

/// <summary>
/// <c>fireline serve</c> as a separate process (the built executable, <see cref="Cli.Path"/>) on an engine host's
/// state directory and test host, its socket in a private temporary directory. Start waits until the daemon
/// answers <c>/healthz</c>; Stop sends SIGTERM, as systemd does. Everything it logs is kept for assertions.
/// Dispose stops it (SIGKILL if it does not stop) and removes the socket directory.
/// </summary>
public sealed class DaemonProcess : IDisposable
{
    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyList<string> _launcher;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;
    private Process? _process;
    private bool _disposed;

    /// <param name="env">The test host and state directory; its in-process engine must be closed (the daemon takes the lock).</param>
    /// <param name="arguments">Extra arguments after <c>serve</c>; by default the daemon gets --state-dir, --host-netns and --socket.</param>
    /// <param name="launcher">
    /// A command the daemon is started through, its command line appended (<c>setpriv ...</c>, <c>sh -c 'umask 000; exec "$@"' sh</c>);
    /// it must exec the daemon, so the process started is the daemon.
    /// </param>
    public DaemonProcess(EngineHost env, IReadOnlyList<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null, bool start = true,
        IReadOnlyList<string>? launcher = null)
    {
        _launcher = launcher ?? [];
        SocketDirectory = Directory.CreateTempSubdirectory("fireline-sock-").FullName;
        Socket = Path.Combine(SocketDirectory, "fireline.sock");
        _arguments = [.. env.CliScope, "--socket", Socket, "serve", .. arguments ?? []];
        _environment = environment ?? new Dictionary<string, string>();
        _http = new HttpClient(new SocketsHttpHandler { ConnectCallback = (_, cancel) => Connect(Socket, cancel), UseProxy = false })
        {
            BaseAddress = new Uri("http://localhost/"),
            Timeout = TimeSpan.FromSeconds(120),
        };
        if (start)
        {
            Start();
        }
    }

    public string SocketDirectory { get; }

    public string Socket { get; }

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("not started");

    /// <summary>What the daemon wrote to stdout and stderr so far (its log).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the daemon and waits until it answers and has logged its start-up; throws with its log when it exits first.</summary>
    public void Start()
    {
        _process?.Dispose(); // a daemon killed by the test
        IReadOnlyList<string> command = [.. _launcher, TestSupport.Cli.Path, .. _arguments];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start fireline serve");
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"fireline serve exited {_process.ExitCode} before it answered:\n{Log}");
            }

            // Its log is written by a background thread, in order: once it says it listens, every line of the
            // start-up (reconcile, configuration) is in.
            if (File.Exists(Socket) && TryAnswer() && Log.Contains("listening on unix:", StringComparison.Ordinal))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                // The constructor throws, so no one will dispose this: the daemon must not outlive the failure.
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
                throw new TimeoutException($"fireline serve did not answer /healthz within 60 s:\n{Log}");
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>SIGTERM, then waits for the exit; returns the exit code.</summary>
    public int Stop()
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        Tool.Run("kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"fireline serve did not stop within 60 s of SIGTERM:\n{Log}");
        }

        process.WaitForExit(); // drains the output readers
        var exitCode = process.ExitCode;
        _process = null;
        process.Dispose();
        return exitCode;
    }

    /// <summary>The CLI pointed at this daemon: <c>fireline --socket S ARGS</c>.</summary>
    public Tool.Result Cli(params string[] arguments) => TestSupport.Cli.Run(["--socket", Socket, .. arguments]);

    /// <summary>One HTTP request on the socket (kept-alive connection), whatever its status.</summary>
    public Answer Send(string method, string path, string? body = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = _http.Send(request);
        return new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                try
                {
                    Stop();
                }
                catch (TimeoutException)
                {
                    // Stop already killed it; the test that left it running reports its own failure.
                }
                catch (InvalidOperationException) when (process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    // It died by itself (a fault point, kill -9) between the check and the signal.
                }
            }

            process.Dispose();
        }

        _http.Dispose();
        Directory.Delete(SocketDirectory, recursive: true);
    }

    /// <summary>Whether the daemon answers <c>/healthz</c> right now.</summary>
    public bool TryAnswer()
    {
        try
        {
            return Send("GET", "/healthz").Status == 200;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private static async ValueTask<Stream> Connect(string path, CancellationToken cancel)
    {
        var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An HTTP answer: status, media type and body.</summary>
    public sealed record Answer(int Status, string? ContentType, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }
}
