using System.Runtime.InteropServices;

namespace Fireline.Linux;

/// <summary>
/// A kernel call failed. Carries the errno, the operation (its iproute2 equivalent where there is one), the
/// object it acted on, and the kernel's own explanation (netlink extended ack) when it gave one.
/// </summary>
public class KernelException : Exception
{
    public KernelException(int errno, string operation, string? objectName, string? kernelMessage)
        : base(Describe(errno, operation, kernelMessage))
    {
        ErrorNumber = errno;
        Operation = operation;
        ObjectName = objectName;
        KernelMessage = kernelMessage;
    }

    public int ErrorNumber { get; }

    public Errno Errno => (Errno)ErrorNumber;

    /// <summary>The errno's symbolic name, e.g. <c>EEXIST</c>, or its number when unnamed here.</summary>
    public string ErrnoName => Enum.IsDefined(Errno) ? Errno.ToString() : ErrorNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Operation { get; }

    public string? ObjectName { get; }

    /// <summary>The extended-ack text the kernel attached to the error, if any.</summary>
    public string? KernelMessage { get; }

    protected static string Describe(int errno, string operation, string? kernelMessage)
    {
        var text = $"{operation}: {Marshal.GetPInvokeErrorMessage(errno)} ({(Enum.IsDefined((Errno)errno) ? ((Errno)errno).ToString() : errno.ToString(System.Globalization.CultureInfo.InvariantCulture))})";
        return kernelMessage is null ? text : $"{text}: {kernelMessage}";
    }

    /// <summary>Builds the most specific exception for an errno from an operation on a kind of object.</summary>
    public static KernelException Create(int errno, KernelObjectKind kind, string operation, string? objectName, string? kernelMessage = null)
    {
        return ((Errno)errno, kind) switch
        {
            // ENODEV always means the link named by index is missing, whatever the operation was about.
            (Errno.ENODEV, KernelObjectKind.Link or KernelObjectKind.Address or KernelObjectKind.Route or KernelObjectKind.Neighbour or KernelObjectKind.FdbEntry) =>
                new LinkNotFoundException(errno, operation, objectName, kernelMessage),
            (Errno.EEXIST, KernelObjectKind.Link) => new LinkExistsException(errno, operation, objectName, kernelMessage),
            (Errno.ENOENT, KernelObjectKind.Namespace) => new NamespaceNotFoundException(errno, operation, objectName, kernelMessage),
            (Errno.EEXIST, KernelObjectKind.Namespace) => new NamespaceExistsException(errno, operation, objectName, kernelMessage),
            // With IFF_TUN_EXCL (as iproute2 sets it) the tun driver answers EBUSY for any taken name.
            (Errno.EBUSY, KernelObjectKind.TunTap) => new KernelObjectExistsException(errno, kind, operation, objectName, kernelMessage),
            (Errno.EEXIST, _) => new KernelObjectExistsException(errno, kind, operation, objectName, kernelMessage),
            (Errno.ENOENT or Errno.ESRCH or Errno.EADDRNOTAVAIL or Errno.ENODEV, _) =>
                new KernelObjectNotFoundException(errno, kind, operation, objectName, kernelMessage),
            (Errno.EPERM or Errno.EACCES, _) => new KernelPermissionException(errno, operation, objectName, kernelMessage),
            (Errno.ENOSPC or Errno.EXFULL or Errno.EMLINK or Errno.ENFILE or Errno.EMFILE or Errno.ENOMEM, _) =>
                new KernelResourceLimitException(errno, operation, objectName, kernelMessage),
            (Errno.EOPNOTSUPP or Errno.EAFNOSUPPORT or Errno.EPROTONOSUPPORT, _) =>
                new KernelNotSupportedException(errno, operation, objectName, kernelMessage),
            _ => new KernelException(errno, operation, objectName, kernelMessage),
        };
    }

    /// <summary>Throws the typed exception for the errno the last P/Invoke left behind.</summary>
    internal static KernelException FromLastError(KernelObjectKind kind, string operation, string? objectName)
        => Create(Marshal.GetLastPInvokeError(), kind, operation, objectName);
}
