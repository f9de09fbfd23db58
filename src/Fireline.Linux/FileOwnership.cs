using Fireline.Linux.Interop;

namespace Fireline.Linux;

/// <summary>File ownership, which .NET has no API to change: what a Unix socket's group access needs.</summary>
public static class FileOwnership
{
    /// <summary>chown(2)'s "leave this id as it is".</summary>
    private const uint Unchanged = uint.MaxValue;

    /// <summary>Gives a file to a group, its owner unchanged. <c>chgrp GID PATH</c></summary>
    public static void SetGroup(string path, uint groupId)
    {
        if (Libc.Chown(path, Unchanged, groupId) != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Other, $"chgrp {groupId} {path}", path);
        }
    }
}
