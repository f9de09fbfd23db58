namespace Fireline.Linux;

/// <summary>The caller lacks the privilege (EPERM, EACCES): usually not root or without CAP_NET_ADMIN.</summary>
public sealed class KernelPermissionException : KernelException
{
    public KernelPermissionException(int errno, string operation, string? objectName, string? kernelMessage)
        : base(errno, operation, objectName, kernelMessage)
    {
    }
}
