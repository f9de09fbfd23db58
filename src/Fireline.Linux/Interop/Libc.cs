namespace Fireline.Linux.Interop;

/// <summary>Direct calls into glibc. One entry point per file; errno is read by the caller right after.</summary>
internal static partial class Libc
{
    private const string Name = "libc";
}
