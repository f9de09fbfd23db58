using Fireline.Linux.Interop;

namespace Fireline.Linux;

/// <summary>CPU scheduling of the calling thread.</summary>
public static class ThreadScheduling
{
    /// <summary>
    /// Gives the calling thread alone (Linux keeps a nice value per thread) the nice value <paramref name="nice"/>, so
    /// the scheduler prefers every thread of normal priority to it: <c>renice -n NICE -p TID</c>.
    /// </summary>
    public static void SetNice(int nice)
    {
        Renice(nice);
        _nice = nice;
    }

    /// <summary>
    /// Runs the calling thread at nice 0 until the result is disposed, when <see cref="SetNice"/> gave it another value
    /// (nothing otherwise): for holding a lock threads of normal priority wait for. A thread preempted at nice 10 while
    /// holding one makes them wait out its long turn on a busy CPU (priority inversion: milliseconds, measured).
    /// </summary>
    public static NormalPriority AtNormalPriority()
    {
        // Raising a thread's priority needs CAP_SYS_NICE or an RLIMIT_NICE that allows it (the systemd unit sets
        // LimitNICE=+0); without either the thread keeps its nice value: slower to let go of the lock, never wrong.
        if (_nice == 0 || Libc.SetPriority(Libc.PRIO_PROCESS, Libc.GetTid(), 0) != 0)
        {
            return default;
        }

        return new NormalPriority(_nice);
    }

    /// <summary>The scope of <see cref="AtNormalPriority"/>: disposing it gives the thread its nice value back.</summary>
    public readonly struct NormalPriority(int nice) : IDisposable
    {
        public void Dispose()
        {
            if (nice != 0)
            {
                Renice(nice);
            }
        }
    }

    [ThreadStatic]
    private static int _nice;

    private static void Renice(int nice)
    {
        var tid = Libc.GetTid();
        if (Libc.SetPriority(Libc.PRIO_PROCESS, tid, nice) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Other, $"renice -n {nice} -p {tid}", null);
        }
    }
}
