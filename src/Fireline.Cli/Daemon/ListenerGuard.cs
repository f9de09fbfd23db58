using System.Globalization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Fireline.Cli.Daemon;

/// <summary>
/// Keeps TCP clients, who need not have the token to connect, from starving the daemon of descriptors and threads:
/// a listener holds at most <paramref name="maxConnections"/> connections at once (one more is closed at once), and
/// a connection that has not carried a request the daemon serves (<see cref="TcpAdmission"/>) within
/// <see cref="AdmissionDeadline"/> is closed. The Unix socket has no guard: its file mode decides who connects, and
/// it always has room, since TCP connections can no longer pile up.
/// </summary>
internal sealed class ListenerGuard(string listener, int maxConnections, ILogger logger)
{
    /// <summary>Connections at once on the API's TCP listener (<c>--listen</c>).</summary>
    public const int ApiConnections = 64;

    /// <summary>Connections at once on the scrape listener (<c>--metrics-listen</c>): a scraper needs one.</summary>
    public const int MetricsConnections = 8;

    /// <summary>Long enough for any client that means to send a request, far too short to hold a slot idle.</summary>
    public static readonly TimeSpan AdmissionDeadline = TimeSpan.FromSeconds(5);

    private readonly ThrottledLog _log = new(logger, "TCP connection closed");
    private int _open;

    /// <summary>Puts the guard in front of every connection of <paramref name="listen"/>.</summary>
    public void Attach(ListenOptions listen) => listen.Use(next => connection => GuardAsync(connection, next));

    private async Task GuardAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (Interlocked.Increment(ref _open) > maxConnections)
        {
            Interlocked.Decrement(ref _open);
            _log.Add(string.Create(CultureInfo.InvariantCulture, $"{listener} holds its maximum of {maxConnections} connections; {connection.RemoteEndPoint} refused"));
            return; // never handed to HTTP: Kestrel closes it
        }

        try
        {
            var admission = new TcpAdmission();
            admission.AttachTo(connection.Items);
            await using var deadline = new Timer(_ =>
            {
                if (!admission.Admitted)
                {
                    _log.Add($"{connection.RemoteEndPoint} on {listener} sent no request it may make within {AdmissionDeadline.TotalSeconds} s");
                    connection.Abort(new ConnectionAbortedException("no admitted request before the deadline"));
                }
            }, null, AdmissionDeadline, Timeout.InfiniteTimeSpan);
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
