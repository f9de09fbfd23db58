namespace Fireline.Linux;

/// <summary>A link of that name already exists in the namespace (EEXIST).</summary>
public sealed class LinkExistsException : KernelObjectExistsException
{
    public LinkExistsException(int errno, string operation, string? objectName, string? kernelMessage)
        : base(errno, KernelObjectKind.Link, operation, objectName, kernelMessage)
    {
    }
}
