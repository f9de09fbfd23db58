namespace Fireline.Linux;

/// <summary>No network namespace is mounted at that name or path (ENOENT).</summary>
public sealed class NamespaceNotFoundException : KernelObjectNotFoundException
{
    public NamespaceNotFoundException(int errno, string operation, string? objectName, string? kernelMessage)
        : base(errno, KernelObjectKind.Namespace, operation, objectName, kernelMessage)
    {
    }
}
