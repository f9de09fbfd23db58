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
        var tid = Libc.GetTid();
        if (Libc.SetPriority(Libc.PRIO_PROCESS, tid, nice) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Other, $"renice -n {nice} -p {tid}", null);
        }
    }
}
