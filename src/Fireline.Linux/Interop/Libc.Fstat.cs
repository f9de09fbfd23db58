using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

/// <summary>The x86-64 <c>struct stat</c>; only the identity fields are read.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Stat
{
    public ulong st_dev;
    public ulong st_ino;
    public ulong st_nlink;
    public uint st_mode;
    public uint st_uid;
    public uint st_gid;
    public int pad0;
    public ulong st_rdev;
    public long st_size;
    public long st_blksize;
    public long st_blocks;
    public long st_atime;
    public long st_atime_nsec;
    public long st_mtime;
    public long st_mtime_nsec;
    public long st_ctime;
    public long st_ctime_nsec;
    public long reserved0;
    public long reserved1;
    public long reserved2;
}

internal static partial class Libc
{
    [LibraryImport(Name, EntryPoint = "fstat", SetLastError = true)]
    internal static partial int Fstat(SafeFd fd, out Stat result);

    [LibraryImport(Name, EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int StatPath(string path, out Stat result);
}
