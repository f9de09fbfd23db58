using Fireline.Errors;
using Fireline.Linux;

namespace Fireline.Service;

/// <summary>
/// The warm pool's background work (scrub, fill, trim) on a thread of its own, started on first use and woken by each
/// operation that may leave work: waking it costs a lock and a pulse, nothing on the request's path waits for it. Each
/// step is one slot, run as its own turn beside requests (the caller's <c>step</c>), so a request waits for at most one
/// slot's work, on a thread of nice 10. A step may also say that work is due later (a fill waiting for its network to be
/// quiet): the thread then sleeps that long unless woken first. Disposing stops it after the step under way, or, when
/// asked to finish (a CLI call, whose own work this is), once nothing is left to do, waiting for nothing.
/// </summary>
/// <param name="step">One unit of work, told whether it is the last before the process ends: <see cref="TimeSpan.Zero"/>
/// when it did something, how long until work is due, or null when there is none.</param>
public sealed class PoolWorker(Func<bool, TimeSpan?> step, bool finishOnDispose) : IDisposable
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

    private (bool Stop, bool Finishing) Stopping
    {
        get
        {
            lock (_gate)
            {
                return (_stopping && !finishOnDispose, _stopping && finishOnDispose);
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

        TimeSpan? due = null;
        while (WaitForWork(due))
        {
            due = RunSteps();
        }
    }

    /// <summary>Waits for a wake, or for work due in <paramref name="due"/>; false when the thread should end.</summary>
    private bool WaitForWork(TimeSpan? due)
    {
        lock (_gate)
        {
            while (!_wanted && !_stopping)
            {
                if (due is not { } wait)
                {
                    Monitor.Wait(_gate);
                }
                else if (!Monitor.Wait(_gate, wait))
                {
                    return true; // the deferred work is due
                }
            }

            if (_stopping && (!finishOnDispose || (!_wanted && due is null)))
            {
                return false;
            }

            _wanted = false;
            return true;
        }
    }

    /// <summary>Runs steps until one finds nothing to do now; returns when work is due next.</summary>
    private TimeSpan? RunSteps()
    {
        try
        {
            while (Stopping is { Stop: false } stopping)
            {
                var next = step(stopping.Finishing);
                if (next != TimeSpan.Zero)
                {
                    return next;
                }
            }
        }
        catch (FirelineException)
        {
            // A slot that failed is removed by the pool itself; anything else waits for the next wake or reconcile.
        }

        return null;
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
