using System.CommandLine;
using Fireline.Cli.Client;
using Fireline.Cli.Configuration;
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

        var engine = FirelineEngine.Open(new EngineOptions
        {
            StateDirectory = settings.StateDirectory,
            HostNamespaceName = settings.HostNamespace,
            LockHolder = "cli",
        });
        return new ServiceSession(engine, engine);
    }

    public void Dispose() => _owner.Dispose();
}
