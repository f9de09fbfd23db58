namespace Fireline.Linux.Netlink;

/// <summary>The kernel's table changed during a dump (NLM_F_DUMP_INTR); the dump must be repeated.</summary>
public sealed class DumpInterruptedException : KernelException
{
    public DumpInterruptedException(string operation)
        : base((int)Errno.EINTR, operation, null, "dump interrupted by a concurrent change")
    {
    }
}
