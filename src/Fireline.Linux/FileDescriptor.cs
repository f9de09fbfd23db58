using System.Runtime.InteropServices;
using Fireline.Linux.Interop;

namespace Fireline.Linux;

/// <summary>Operations on an open file descriptor that file helpers share.</summary>
internal static class FileDescriptor
{
    /// <summary>Writes all of <paramref name="content"/>, across short writes and interrupted calls.</summary>
    public static void WriteAll(SafeFd file, ReadOnlySpan<byte> content, string operation, string path)
    {
        while (!content.IsEmpty)
        {
            var written = Libc.Write(file, content, (nuint)content.Length);
            if (written < 0)
            {
                if (Marshal.GetLastPInvokeError() == (int)Errno.EINTR)
                {
                    continue;
                }

                throw KernelException.FromLastError(KernelObjectKind.Other, operation, path);
            }

            content = content[(int)written..];
        }
    }

    /// <summary>Throws the errno of a call that returned non-zero.</summary>
    public static void Check(int result, string operation, string path)
    {
        if (result != 0)
        {
            throw KernelException.FromLastError(KernelObjectKind.Other, operation, path);
        }
    }
}
