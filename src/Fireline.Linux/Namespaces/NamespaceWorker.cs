using System.Runtime.InteropServices;
using Fireline.Linux.Interop;

namespace Fireline.Linux.Namespaces;

/// <summary>
/// A dedicated OS thread that enters a network namespace, runs one piece of work, and returns to the
/// process's own namespace. Thread-pool threads never switch namespaces, so nothing else can run in the wrong
/// one. Workers are pooled; one that cannot get back home is retired, never reused.
/// </summary>
internal sealed class NamespaceWorker
{
    private static readonly System.Collections.Concurrent.ConcurrentBag<NamespaceWorker> Idle = [];

    /// <summary>
    /// Home for every worker: the namespace of the process's main thread, which never switches. Not the
    /// namespace a worker's thread started in: a worker made by work running inside a VM's namespace (work that
    /// itself enters another one) would otherwise call that namespace home, keep it alive, and run later work
    /// meant for the process's namespace in it.
    /// </summary>
    private static readonly Lazy<SafeFd> Home = new(() => NamespaceFiles.Open("/proc/self/ns/net"));

    // No spinning before blocking: an idle worker waits for work that seldom comes within a spin, and on a busy host its
    // spins (yields) took ~5 % of both CPUs in the churn benchmark.
    private readonly ManualResetEventSlim _start = new(false, spinCount: 0);
    private readonly ManualResetEventSlim _done = new();
    private SafeFd? _target;
    private Action? _work;
    private Exception? _error;
    private bool _broken;

    private NamespaceWorker()
    {
        using var ready = new ManualResetEventSlim();
        var thread = new Thread(() => Loop(ready)) { IsBackground = true, Name = "fireline-netns" };
        thread.Start();
        ready.Wait();
        if (_error is not null)
        {
            throw _error;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread inside the namespace <paramref name="target"/> refers to
    /// (or in the process's own one when null, for work that unshares a new namespace itself). Blocks until done;
    /// rethrows what the work threw.
    /// </summary>
    public static void Run(SafeFd? target, Action work)
    {
        _ = Home.Value;
        if (!Idle.TryTake(out var worker))
        {
            worker = new NamespaceWorker();
        }

        worker._target = target;
        worker._work = work;
        worker._error = null;
        worker._done.Reset();
        worker._start.Set();
        worker._done.Wait();
        var error = worker._error;
        worker._target = null;
        worker._work = null;
        if (!worker._broken)
        {
            Idle.Add(worker);
        }

        if (error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread in a new namespace of its own (<c>unshare(CLONE_NEWNET)</c>),
    /// for <c>ip netns add <paramref name="name"/></c>: the work mounts it, or it ends with the work.
    /// </summary>
    public static void RunInNew(string name, Action work) => Run(null, () =>
    {
        if (Libc.Unshare(Libc.CLONE_NEWNET) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Namespace, $"ip netns add {name} (unshare)", name);
        }

        work();
    });

    /// <summary>
    /// Runs <paramref name="work"/> for each of <paramref name="namespaces"/> in turn, inside it, on one worker
    /// thread that enters them one after the other (and goes home after): for sweeps over many namespaces, where a
    /// thread hop per namespace costs more than the work done in it.
    /// </summary>
    public static void RunEach(IReadOnlyList<NetworkNamespace> namespaces, Action<int> work) => Run(null, () =>
    {
        for (var i = 0; i < namespaces.Count; i++)
        {
            var label = namespaces[i].Name ?? namespaces[i].Path;
            if (Libc.SetNs(namespaces[i].Handle, Libc.CLONE_NEWNET) != 0)
            {
                throw KernelException.FromLastError(KernelObjectKind.Namespace, $"setns {label}", label);
            }

            work(i);
        }
    });

    private void Loop(ManualResetEventSlim ready)
    {
        // A thread starts in its creator's namespace, which may be any: it goes home before its first work.
        if (Libc.SetNs(Home.Value, Libc.CLONE_NEWNET) != 0)
        {
            _error = KernelException.FromLastError(KernelObjectKind.Namespace, "setns to the process's namespace", null);
            ready.Set();
            return;
        }

        ready.Set();
        while (!_broken)
        {
            _start.Wait();
            _start.Reset();
            try
            {
                if (_target is not null && Libc.SetNs(_target, Libc.CLONE_NEWNET) != 0)
                {
                    throw KernelException.FromLastError(KernelObjectKind.Namespace, "setns(CLONE_NEWNET)", null);
                }

                _work!();
            }
            catch (Exception error)
            {
                _error = error;
            }
            finally
            {
                // Whatever the work did (entered, unshared), this thread goes home before it takes more work.
                if (Libc.SetNs(Home.Value, Libc.CLONE_NEWNET) != 0)
                {
                    _broken = true;
                    _error ??= new KernelException(Marshal.GetLastPInvokeError(), "setns back to the home namespace", null, null);
                }

                _done.Set();
            }
        }
    }
}
