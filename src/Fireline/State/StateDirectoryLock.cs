using System.Globalization;
using Fireline.Errors;
using Fireline.Linux;
using Fireline.Linux.Interop;

namespace Fireline.State;

/// <summary>
/// One process owns a state directory at a time: an exclusive lock (flock) on <c>STATE_DIR/lock</c>, held
/// while the process lives and released by the kernel when it dies, even by kill -9. The holder writes who
/// it is to <c>STATE_DIR/owner</c> so a refused process can say who holds it. Both files are 0600 in a 0700
/// directory (<see cref="StateDirectory"/>): no other user can open the lock file, so none can flock it to lock
/// Fireline out.
/// </summary>
public sealed class StateDirectoryLock : IDisposable
{
    private readonly SafeFd _lock;

    private StateDirectoryLock(SafeFd @lock) => _lock = @lock;

    /// <summary>
    /// Takes the lock. A daemon's lock is refused at once (the caller should talk to the daemon); another CLI
    /// process's lock is waited for up to <paramref name="wait"/>, since CLI calls are short.
    /// </summary>
    public static StateDirectoryLock Acquire(string directory, string holder, TimeSpan wait)
    {
        StateDirectory.Prepare(directory);
        var path = Path.Combine(directory, "lock");
        var deadline = DateTime.UtcNow + wait;
        var file = PrivateFiles.Open(path);
        try
        {
            while (!FileLock.TryExclusive(file, path))
            {
                var owner = ReadOwner(directory);
                if (owner.StartsWith("daemon", StringComparison.Ordinal))
                {
                    throw DomainErrors.StateLocked(directory, $"the fireline daemon: {owner}; talk to it with --socket");
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw DomainErrors.StateLocked(directory, owner);
                }

                Thread.Sleep(20);
            }

            PrivateFiles.Write(Path.Combine(directory, "owner"), string.Create(CultureInfo.InvariantCulture, $"{holder} (pid {Environment.ProcessId})"));
            return new StateDirectoryLock(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static string ReadOwner(string directory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, "owner")).Trim();
        }
        catch (IOException)
        {
            return "another fireline process";
        }
    }

    public void Dispose() => _lock.Dispose();
}
