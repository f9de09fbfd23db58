namespace Fireline.Linux;

/// <summary>The object to create is already there (EEXIST).</summary>
public class KernelObjectExistsException : KernelException
{
    public KernelObjectExistsException(int errno, KernelObjectKind kind, string operation, string? objectName, string? kernelMessage)
        : base(errno, operation, objectName, kernelMessage) => Kind = kind;

    public KernelObjectKind Kind { get; }
}
