namespace Fireline.Concurrency;

/// <summary>
/// Orders the engine's operations among the threads of one process (the daemon's requests, or any in-process
/// host). VM operations run side by side (VmNetworks locks per VM); what changes the host as a whole (host init,
/// network apply and delete, reconcile, tune) runs alone, so it never sees a VM half made, and no VM is made on a
/// network while its bridge or firewall is being rebuilt. Processes are ordered by the state directory's lock.
/// </summary>
internal sealed class EngineGate : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    /// <summary>Runs beside other VM operations; waits while a host-wide one runs.</summary>
    public T Shared<T>(Func<T> work) => Run(_lock.EnterReadLock, _lock.ExitReadLock, work);

    /// <summary>Runs alone.</summary>
    public T Exclusive<T>(Func<T> work) => Run(_lock.EnterWriteLock, _lock.ExitWriteLock, work);

    private static T Run<T>(Action enter, Action exit, Func<T> work)
    {
        enter();
        try
        {
            return work();
        }
        finally
        {
            exit();
        }
    }

    public void Dispose() => _lock.Dispose();
}
