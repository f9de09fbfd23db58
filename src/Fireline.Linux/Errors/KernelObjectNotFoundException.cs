namespace Fireline.Linux;

/// <summary>The object acted on does not exist (ENODEV, ENOENT, ESRCH or EADDRNOTAVAIL, by object kind).</summary>
public class KernelObjectNotFoundException : KernelException
{
    public KernelObjectNotFoundException(int errno, KernelObjectKind kind, string operation, string? objectName, string? kernelMessage)
        : base(errno, operation, objectName, kernelMessage) => Kind = kind;

    public KernelObjectKind Kind { get; }
}
