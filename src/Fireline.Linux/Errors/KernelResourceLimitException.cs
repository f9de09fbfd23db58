namespace Fireline.Linux;

/// <summary>
/// A kernel limit was reached (ENOSPC, EXFULL, EMLINK, ENFILE, EMFILE, ENOMEM): a full bridge (1,024 ports),
/// a full table, no descriptors left.
/// </summary>
public sealed class KernelResourceLimitException : KernelException
{
    public KernelResourceLimitException(int errno, string operation, string? objectName, string? kernelMessage)
        : base(errno, operation, objectName, kernelMessage)
    {
    }
}
