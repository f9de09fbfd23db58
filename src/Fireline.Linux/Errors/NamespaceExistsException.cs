namespace Fireline.Linux;

/// <summary>A network namespace of that name is already mounted (EEXIST).</summary>
public sealed class NamespaceExistsException : KernelObjectExistsException
{
    public NamespaceExistsException(int errno, string operation, string? objectName, string? kernelMessage)
        : base(errno, KernelObjectKind.Namespace, operation, objectName, kernelMessage)
    {
    }
}
