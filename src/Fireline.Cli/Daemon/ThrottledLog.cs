using Microsoft.Extensions.Logging;

namespace Fireline.Cli.Daemon;

/// <summary>
/// The log of an event any TCP client can cause at will (a refused token, a connection over the limit): at most
/// one line per <see cref="Interval"/>, each saying how many were left out since the one before, so a flood of
/// them costs the log a line every few seconds instead of one per event.
/// </summary>
internal sealed class ThrottledLog(ILogger logger, string what)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long _nextLine = long.MinValue;
    private long _left;

    /// <summary>Logs <paramref name="detail"/> when this interval has no line yet; counts it otherwise.</summary>
    public void Add(string detail)
    {
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref _nextLine);
        if (now < next || Interlocked.CompareExchange(ref _nextLine, now + (long)Interval.TotalMilliseconds, next) != next)
        {
            Interlocked.Increment(ref _left);
            return;
        }

        DaemonLog.Throttled(logger, what, detail, Interlocked.Exchange(ref _left, 0), Interval.TotalSeconds);
    }
}
