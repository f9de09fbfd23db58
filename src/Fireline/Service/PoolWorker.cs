using Fireline.Errors;
using Fireline.Linux;

namespace Fireline.Service;

/// <summary>
/// The warm pool's background work (scrub, fill, trim) on a thread of its own, started on first use and woken by each
/// operation that may leave work: waking it costs a lock and a pulse, nothing on the request's path waits for it. Each
/// step is one slot, run as its own turn beside requests (the caller's <c>step</c>), so a request waits for at most one
/// slot's work, on a thread of nice 10. Disposing stops it after the step under way, or, when asked to finish (a CLI call, whose own work this
/// is), once nothing is left to do.
/// </summary>
public sealed class PoolWorker(Func<bool> step, bool finishOnDispose) : IDisposable
{
    /// <summary>The pool thread's nice value: requests' threads (nice 0) always come first on a busy CPU.</summary>
    private const int BackgroundNice = 10;

    private readonly object _gate = new();
    private Thread? _thread;
    private bool _wanted;
    private bool _stopping;

    /// <summary>Asks for a round of steps (until one finds nothing to do).</summary>
    public void Wake()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _wanted = true;
            if (_thread is null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = "fireline-pool" };
                _thread.Start();
            }

            Monitor.Pulse(_gate);
        }
    }

    private bool StopNow
    {
        get
        {
            lock (_gate)
            {
                return _stopping && !finishOnDispose;
            }
        }
    }

    private void Loop()
    {
        try
        {
            ThreadScheduling.SetNice(BackgroundNice);
        }
        catch (KernelException)
        {
            // Without CAP_SYS_NICE a thread may still lower its own priority; failing that it runs at the default.
        }

        while (true)
        {
            lock (_gate)
            {
                while (!_wanted && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (!_wanted || (_stopping && !finishOnDispose))
                {
                    return;
                }

                _wanted = false;
            }

            try
            {
                while (!StopNow && step())
                {
                }
            }
            catch (FirelineException)
            {
                // A slot that failed is removed by the pool itself; anything else waits for the next wake or reconcile.
            }
        }
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            _stopping = true;
            thread = _thread;
            Monitor.Pulse(_gate);
        }

        thread?.Join();
    }
}
