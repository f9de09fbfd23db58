namespace Fireline.Linux;

/// <summary>This kernel lacks the feature (EOPNOTSUPP, EAFNOSUPPORT, EPROTONOSUPPORT), e.g. no 802.1Q module.</summary>
public sealed class KernelNotSupportedException : KernelException
{
    public KernelNotSupportedException(int errno, string operation, string? objectName, string? kernelMessage)
        : base(errno, operation, objectName, kernelMessage)
    {
    }
}
