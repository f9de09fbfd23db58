namespace Fireline.Linux;

/// <summary>No link has that name or index in the namespace asked (ENODEV).</summary>
public sealed class LinkNotFoundException : KernelObjectNotFoundException
{
    public LinkNotFoundException(int errno, string operation, string? objectName, string? kernelMessage)
        : base(errno, KernelObjectKind.Link, operation, objectName, kernelMessage)
    {
    }
}
