using Fireline.Linux.Interop;

namespace Fireline.Linux;

/// <summary>Who owns a file and its permission bits: what .NET's file APIs do not tell (the owner).</summary>
public sealed record FileStatus(uint Owner, uint Group, UnixFileMode Mode)
{
    /// <summary>Permission bits (from <see cref="UnixFileMode.OtherRead"/> to setuid) that give group or others any access.</summary>
    public const UnixFileMode GroupOrOthers = (UnixFileMode)0x3F; // 0077

    /// <summary>The mode as chmod takes it: <c>0755</c>.</summary>
    public string OctalMode => Convert.ToString((int)Mode, 8).PadLeft(4, '0');

    /// <summary>Whether group or others have any access (a bit of 0077).</summary>
    public bool OpenToOthers => (Mode & GroupOrOthers) != 0;

    /// <summary>The user this process acts as towards files (its effective uid).</summary>
    public static uint CurrentUser => Libc.Geteuid();

    /// <summary>
    /// The status of what <paramref name="path"/> names, symlinks followed. Throws
    /// <see cref="KernelObjectNotFoundException"/> when nothing is there. <c>stat -L -c '%u %g %a' PATH</c>
    /// </summary>
    public static FileStatus Of(string path)
    {
        // O_PATH opens any file without reading or running it, and fstat() on it reads the inode: stat(2) itself
        // needs no entry point of its own then.
        using var fd = Libc.Open(path, Libc.O_PATH | Libc.O_CLOEXEC, 0);
        if (fd.IsInvalid || Libc.Fstat(fd, out var stat) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Other, $"stat {path}", path);
        }

        // The permission bits and setuid/setgid/sticky: UnixFileMode's range.
        return new FileStatus(stat.st_uid, stat.st_gid, (UnixFileMode)(stat.st_mode & 0xFFF));
    }
}
