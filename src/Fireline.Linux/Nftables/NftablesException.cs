using System.Runtime.InteropServices;

namespace Fireline.Linux.Nftables;

/// <summary>
/// libnftables refused a command buffer: a syntax or evaluation error (<see cref="KernelException.ErrorNumber"/>
/// is 0) or the kernel's answer to the batch (the errno, e.g. ENOENT for a missing table). Nothing of the buffer
/// was applied. <see cref="KernelException.KernelMessage"/> holds libnftables' error text: the message, a
/// command line, and a caret line under the faulty columns. (For a buffer of several lines, libnftables 1.0.6
/// quotes the buffer's first line whatever line is at fault; the columns are the faulty line's.)
/// </summary>
public sealed class NftablesException : KernelException
{
    public NftablesException(int errno, string operation, string errorText)
        : base(errno, operation, null, errorText, Describe(errno, operation, errorText))
    {
    }

    public KernelObjectKind Kind { get; } = KernelObjectKind.Nftables;

    /// <summary>
    /// The exception for a failed run. errno is kept only when libnftables' text quotes its strerror (it prints
    /// "Could not process rule: No such file or directory" for a kernel error); otherwise it is whatever an
    /// unrelated call inside the library left, e.g. EAGAIN after a syntax error, and is reported as 0.
    /// </summary>
    internal static NftablesException FromRun(int errno, string operation, string errorText)
    {
        var quoted = errno > 0 && errorText.Contains(Marshal.GetPInvokeErrorMessage(errno), StringComparison.Ordinal);
        return new NftablesException(quoted ? errno : 0, operation, errorText);
    }

    private static new string Describe(int errno, string operation, string errorText)
        => errno == 0 ? $"{operation}: {errorText.Trim()}" : KernelException.Describe(errno, operation, errorText.Trim());
}
