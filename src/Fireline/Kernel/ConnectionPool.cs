using System.Collections.Concurrent;

namespace Fireline.Kernel;

/// <summary>
/// Netlink connections opened once and reused from any thread, one caller at a time per connection, so
/// operations on different VMs never wait for each other and never switch threads. At most
/// <see cref="MaxIdle"/> are kept; more are opened for a burst and closed after it.
/// </summary>
internal sealed class ConnectionPool<T>(Func<T> open) : IDisposable where T : class, IDisposable
{
    private const int MaxIdle = 16;
    private readonly ConcurrentBag<T> _idle = [];

    public TResult Use<TResult>(Func<T, TResult> work)
    {
        var connection = _idle.TryTake(out var idle) ? idle : open();
        try
        {
            return work(connection);
        }
        finally
        {
            if (_idle.Count < MaxIdle)
            {
                _idle.Add(connection);
            }
            else
            {
                connection.Dispose();
            }
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
