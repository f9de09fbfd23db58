using Fireline.Errors;
using Fireline.Linux;

namespace Fireline.State;

/// <summary>
/// The state directory and everything in it are Fireline's alone: the directory is 0700 and its files (database,
/// WAL, shared memory, lock, owner) 0600, whatever the umask, so no other user reads the leases or opens the lock
/// file to flock Fireline out. A directory Fireline creates is made so. An existing one that belongs to another
/// user, or that group or others may enter, is refused rather than changed: the path may be a shared directory
/// given by mistake (<c>--state-dir /tmp</c>, <c>/var/lib</c>), and tightening that would break everyone else
/// using it. Files inside a directory that passed are Fireline's own, and are tightened (<see cref="PrivateFiles"/>).
/// </summary>
public static class StateDirectory
{
    /// <summary>Creates <paramref name="directory"/> (0700) or checks that an existing one is private to this process's user.</summary>
    public static void Prepare(string directory)
    {
        var full = Path.GetFullPath(directory);
        FileStatus status;
        try
        {
            PrivateFiles.CreateDirectory(full);
            status = FileStatus.Of(full);
        }
        catch (Exception error) when (error is KernelException or IOException or UnauthorizedAccessException)
        {
            throw Refused(full, error.Message);
        }

        if (status.Owner != FileStatus.CurrentUser)
        {
            throw Refused(full, $"it belongs to uid {status.Owner}, not to this process's user (uid {FileStatus.CurrentUser}), who could then not keep others out");
        }

        if (status.OpenToOthers)
        {
            throw Refused(full, $"its mode is {status.OctalMode}: group or others could read the state or open its lock; " +
                                $"run 'chmod 700 {full}' or choose another --state-dir");
        }
    }

    private static FirelineException Refused(string directory, string why)
        => DomainErrors.InvalidInput("--state-dir", $"state directory {directory}: {why}");
}
