using Fireline.Service;

namespace Fireline.TestSupport;

/// <summary>
/// A test host with a Fireline engine running against it in-process, its state in a private temporary
/// directory. Dispose removes the engine, the state and the whole test host.
/// </summary>
public sealed class EngineHost : IDisposable
{
    private readonly Func<EngineOptions, EngineOptions>? _configure;

    /// <param name="configure">Adjusts the engine's options (metrics, sysfs root) before each open.</param>
    public EngineHost(Func<EngineOptions, EngineOptions>? configure = null)
    {
        _configure = configure;
        Host = new TestHost();
        StateDirectory = Directory.CreateTempSubdirectory("fireline-test-").FullName;
        try
        {
            Engine = Open();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestHost Host { get; }

    public string StateDirectory { get; }

    public FirelineEngine Engine { get; private set; } = null!;

    /// <summary>Closes the engine and opens a new one on the same state, as a restarted process would.</summary>
    public FirelineEngine Reopen()
    {
        Engine.Dispose();
        Engine = Open();
        return Engine;
    }

    /// <summary>The arguments that point the CLI at this test host and state: <c>--state-dir DIR --host-netns NS</c>.</summary>
    public IReadOnlyList<string> CliScope => ["--state-dir", StateDirectory, "--host-netns", Host.HostNamespaceName];

    private FirelineEngine Open()
    {
        var options = new EngineOptions { StateDirectory = StateDirectory, HostNamespace = Host.HostNamespace };
        return FirelineEngine.Open(_configure?.Invoke(options) ?? options);
    }

    public void Dispose()
    {
        Engine?.Dispose();
        Host.Dispose();
        if (Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }
}
