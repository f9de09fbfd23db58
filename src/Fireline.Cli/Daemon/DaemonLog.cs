using Microsoft.Extensions.Logging;

namespace Fireline.Cli.Daemon;

/// <summary>The daemon's log lines, source-generated: structured fields in JSON logs, no formatting cost when off.</summary>
internal static partial class DaemonLog
{
    // Request lines carry their operation and VM id in the scope (LogScope), not in the message.
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} in {ElapsedMs:0.###} ms")]
    public static partial void Request(ILogger logger, string method, string path, int status, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "refused with {Code}: {Detail}")]
    public static partial void Refused(ILogger logger, string code, string detail);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "unexpected failure, answered 500 internal-error")]
    public static partial void Crashed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{What}: {Detail} ({Left} more left out since the last such line; at most one every {Seconds} s)")]
    public static partial void Throttled(ILogger logger, string what, string detail, long left, double seconds);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "state {StateDirectory} opened (host namespace: {HostNamespace})")]
    public static partial void Opened(ILogger logger, string stateDirectory, string hostNamespace);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "reconcile: {Action} {Subject}: {Detail}")]
    public static partial void Reconciled(ILogger logger, string action, string subject, string detail);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "reconcile: state and kernel agree ({Vms} VMs) in {ElapsedMs:0.#} ms")]
    public static partial void NothingToReconcile(ILogger logger, int vms, double elapsedMs);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "reconcile: {Count} actions in {ElapsedMs:0.#} ms")]
    public static partial void ReconcileDone(ILogger logger, int count, double elapsedMs);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "host init (configuration file): uplink {Uplink}, {Networks} networks")]
    public static partial void HostInitialized(ILogger logger, string uplink, int networks);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "networks from the configuration file: {Network} {Action}")]
    public static partial void NetworkApplied(ILogger logger, string network, string action);

    [LoggerMessage(EventId = 19, Level = LogLevel.Error, Message = "the configuration file's {Part} was refused ({Code}): {Detail}; serving the state as it is (fix the file and restart, or apply through the API)")]
    public static partial void ConfigurationRefused(ILogger logger, string part, string code, string detail);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "joined cluster as node {Node} (underlay {Underlay}, etcd {Etcd})")]
    public static partial void Joined(ILogger logger, string node, string underlay, string etcd);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "cluster: {Detail}")]
    public static partial void ClusterEvent(ILogger logger, string detail);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "stopped; every VM's network stays in place (the datapath is in the kernel)")]
    public static partial void Stopped(ILogger logger);
}
