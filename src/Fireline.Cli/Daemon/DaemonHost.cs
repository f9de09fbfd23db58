using System.Net.Sockets;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fireline.Cli.Configuration;
using Fireline.Cluster;
using Fireline.Errors;
using Fireline.Metrics;
using Fireline.Service;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Fireline.Cli.Daemon;

/// <summary>
/// <c>fireline serve</c>: takes the state directory for its lifetime, reconciles, applies the configuration
/// file's host and networks, and only then opens its socket. SIGTERM (or SIGINT) stops it after the requests in
/// flight; every VM's network stays as it is, since the datapath lives in the kernel, and the next start picks
/// the state up again.
/// </summary>
internal static class DaemonHost
{
    /// <summary>Requests block a pool thread on the kernel for a few ms: start with enough for a burst of clients.</summary>
    private const int MinThreads = 32;

    public static int Run(DaemonSettings settings)
    {
        StopSignals.Handle();
        // A cluster node joins before its engine opens: the engine hands out addresses from the node's blocks only.
        // Its log exists only once the web host is built; what the membership reports before that is not kept.
        ILogger? log = null;
        using var cluster = settings.Cluster is { } options ? ClusterMember.Join(options, detail => { if (log is not null) { DaemonLog.ClusterEvent(log, detail); } }) : null;
        using var engine = FirelineEngine.Open(new EngineOptions
        {
            StateDirectory = settings.StateDirectory,
            HostNamespaceName = settings.HostNamespace,
            LockHolder = "daemon",
            Metrics = new FirelineMetrics(),
            AddressBlocks = cluster?.Blocks,
            Cluster = cluster?.Options,
            Endpoints = cluster?.Endpoints,
            NetworkDefinitions = cluster?.Networks,
        });
        using var app = Build(settings, engine);
        var logger = log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("fireline.daemon");
        DaemonLog.Opened(logger, settings.StateDirectory, settings.HostNamespace ?? "the daemon's own");
        if (cluster is not null)
        {
            DaemonLog.Joined(logger, cluster.Options.Node, cluster.Options.UnderlayAddress.ToString(), string.Join(',', cluster.Options.Endpoints));
        }
        StartUp(engine, settings, logger);
        // After reconcile: the node's VMs are whole when they are published and the data path built for them.
        using var clustered = cluster?.Start(engine.ListVms, engine.ConvergeCluster);
        using var networks = cluster?.FollowNetworks(engine.FollowNetworks);
        if (StopSignals.Requested.IsCancellationRequested)
        {
            // Stopped while starting: the state is whole (reconcile and init are), so there is nothing to serve.
            DaemonLog.Stopped(logger);
            return Output.ExitCodes.Success;
        }

        app.UseRouting();
        app.Use(new RequestPipeline(logger, settings.Token, settings.MetricsListen?.Port).InvokeAsync);
        Routes.Map(app, engine, cluster);
        ThreadPool.GetMinThreads(out var workers, out var completions);
        ThreadPool.SetMinThreads(Math.Max(workers, MinThreads), completions);
        try
        {
            if (Start(app))
            {
                DaemonLog.Listening(logger, "unix:" + settings.Socket);
                if (settings.Listen is { } tcp)
                {
                    DaemonLog.Listening(logger, "tcp:" + tcp + " (bearer token required)");
                }

                if (settings.MetricsListen is { } metrics)
                {
                    DaemonLog.Listening(logger, "tcp:" + metrics + " (GET /metrics only)");
                }

                using var stopping = StopSignals.Requested.Register(app.Lifetime.StopApplication);
                app.WaitForShutdown();
            }
        }
        finally
        {
            UnixSocket.Remove(settings.Socket);
        }

        DaemonLog.Stopped(logger);
        return Output.ExitCodes.Success;
    }

    /// <summary>
    /// Starts the web host; false when a SIGTERM during the start stopped it: the host's systemd lifetime handles the
    /// signal from then on and cancels the start, a stop that was asked for, not a failure (it exited 1 under load).
    /// </summary>
    private static bool Start(WebApplication app)
    {
        try
        {
            app.Start();
            return true;
        }
        catch (Exception error) when (error is SocketException or IOException)
        {
            throw DomainErrors.Unsupported($"cannot listen: {error.Message}", "--listen");
        }
        catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return false;
        }
    }

    private static WebApplication Build(DaemonSettings settings, FirelineEngine engine)
    {
        // The empty builder with Kestrel's core (no HTTPS, no HTTP/3) and routing's core: the least of ASP.NET
        // Core that serves the API. Every type compiled in costs every command's start-up (NativeAOT rehydrates
        // all type data before Main), so nothing more goes in. Settings come from flags, FIRELINE_* and the
        // configuration file only: no appsettings.json, no ASPNETCORE_URLS opening a listener nobody asked for.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // Every line of a request carries Fireline's own scope (operation, VM id); the framework's scopes
        // (trace and span ids, connection and request ids) would only bury it.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.None);
        if (settings.JsonLogs)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                // Log lines go to journald or a collector, never into HTML: keep '>' and quotes readable.
                o.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = true; o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; });
        }

        // Under systemd: Type=notify readiness once listening, and journald's priority prefixes for text logs.
        builder.Services.AddSystemd();
        builder.Services.Configure<ConsoleFormatterOptions>(o => o.IncludeScopes = true);
        if (settings.JsonLogs)
        {
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Json);
        }

        builder.Services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = UnixSocket.Binder(settings.SocketGroup, engine));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // RequestBody refuses anything over its limit; Kestrel's own limit is higher so that it can read and drop
            // the rest of a refused body, and the client gets its 413 on a connection that stays usable.
            kestrel.Limits.MaxRequestBodySize = RequestBody.DrainLimit;
            kestrel.ListenUnixSocket(settings.Socket);
            var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("fireline.daemon");
            if (settings.Listen is { } tcp)
            {
                kestrel.Listen(tcp, new ListenerGuard($"tcp:{tcp}", ListenerGuard.ApiConnections, logger).Attach);
            }

            if (settings.MetricsListen is { } metrics)
            {
                kestrel.Listen(metrics, new ListenerGuard($"tcp:{metrics}", ListenerGuard.MetricsConnections, logger).Attach);
            }
        });
        return builder.Build();
    }

    /// <summary>Before the socket opens: reconcile, then the configuration file's host and networks (both idempotent).</summary>
    private static void StartUp(FirelineEngine engine, DaemonSettings settings, ILogger logger)
    {
        var recorded = engine.ListVms().Select(vm => vm.VmId).ToHashSet(StringComparer.Ordinal);
        var started = Stopwatch.GetTimestamp();
        var report = engine.Reconcile();
        foreach (var action in report.Actions)
        {
            using (logger.BeginScope(new LogScope("reconcile", recorded.Contains(action.Subject) ? action.Subject : null)))
            {
                DaemonLog.Reconciled(logger, action.Action, action.Subject, action.Detail);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (report.Actions.Count == 0)
        {
            DaemonLog.NothingToReconcile(logger, recorded.Count, elapsed);
        }
        else
        {
            DaemonLog.ReconcileDone(logger, report.Actions.Count, elapsed);
        }

        // What the configuration file asks for is applied whole or not at all; a refusal (a bridge name another
        // program took since, an address the host now holds) is logged, and the daemon serves the state it has:
        // failing here would only restart it into the same refusal, a crash loop with no API to fix it through.
        if (settings.Host is { } host)
        {
            using (logger.BeginScope(new LogScope("host.init", null)))
            {
                try
                {
                    var status = engine.InitHost(host);
                    DaemonLog.HostInitialized(logger, status.Uplink ?? "none", status.Networks.Count);
                }
                catch (FirelineException refused)
                {
                    DaemonLog.ConfigurationRefused(logger, "host", refused.Code, refused.Message);
                }
            }
        }

        if (settings.Networks is { } networks)
        {
            using (logger.BeginScope(new LogScope("network.apply", null)))
            {
                try
                {
                    foreach (var change in engine.ApplyNetworks(networks, dryRun: false, prune: false).Changes)
                    {
                        DaemonLog.NetworkApplied(logger, change.Network, change.Action);
                    }
                }
                catch (FirelineException refused)
                {
                    DaemonLog.ConfigurationRefused(logger, "networks", refused.Code, refused.Message);
                }
            }
        }
    }
}
