using System.CommandLine;
using Fireline.Cli.Client;
using Fireline.Cli.Configuration;
using Fireline.Errors;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Service;

namespace Fireline.Cli;

/// <summary>
/// The service a command talks to: the in-process engine (taking the state directory's lock for the
/// command's duration) or, with <c>--socket</c>, the daemon.
/// </summary>
internal sealed class ServiceSession : IDisposable
{
    private readonly IDisposable _owner;

    private ServiceSession(IFirelineService service, IDisposable owner)
    {
        Service = service;
        _owner = owner;
    }

    public IFirelineService Service { get; }

    public static ServiceSession Open(ParseResult parse)
    {
        var settings = Settings.Resolve(parse);
        if (settings.Socket is { } socket)
        {
            var client = new DaemonClient(socket);
            return new ServiceSession(client, client);
        }

        var hostNamespace = OpenHostNamespace(settings.HostNamespace);
        try
        {
            var engine = FirelineEngine.Open(new EngineOptions
            {
                StateDirectory = settings.StateDirectory,
                HostNamespace = hostNamespace,
                LockHolder = "cli",
            });
            return new ServiceSession(engine, new Owned(engine, hostNamespace));
        }
        catch
        {
            hostNamespace?.Dispose();
            throw;
        }
    }

    /// <summary>Opens <c>--host-netns</c>; null (the process's own) when none is named.</summary>
    public static NetworkNamespace? OpenHostNamespace(string? nameOrPath)
    {
        if (nameOrPath is null)
        {
            return null;
        }

        try
        {
            return NetworkNamespace.Open(nameOrPath);
        }
        catch (Exception error) when (error is KernelException or ArgumentException)
        {
            throw DomainErrors.InvalidInput("--host-netns", $"--host-netns: no network namespace '{nameOrPath}' ({error.Message})");
        }
    }

    public void Dispose() => _owner.Dispose();

    /// <summary>The engine and the host namespace handle the CLI opened for it, released together.</summary>
    private sealed class Owned(IDisposable engine, IDisposable? hostNamespace) : IDisposable
    {
        public void Dispose()
        {
            engine.Dispose();
            hostNamespace?.Dispose();
        }
    }
}
