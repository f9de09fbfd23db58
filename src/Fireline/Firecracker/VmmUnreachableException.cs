using Fireline.Errors;

namespace Fireline.Firecracker;

/// <summary>
/// No answer from a Firecracker API socket: no socket at the path, nothing listening, no permission, the
/// connection dropped, or no answer within the client's timeout.
/// </summary>
public sealed class VmmUnreachableException : FirelineException
{
    public VmmUnreachableException(string socketPath, string reason, Exception? inner = null)
        : base(ErrorKind.Unavailable, "vmm-unreachable", $"VMM not reachable at {socketPath}: {reason}", inner)
    {
        SocketPath = socketPath;
        Reason = reason;
    }

    public string SocketPath { get; }

    public string Reason { get; }
}
