using System.Net;
using Fireline.Errors;

namespace Fireline.Firecracker;

/// <summary>
/// Firecracker answered a request with an error status: its own words (<c>fault_message</c>) with the request that
/// got them. Fireline checks its input before sending, so what is left is the VMM's state: an operation not allowed
/// before or after boot, a TAP it cannot open, a MAC another interface has. Also thrown, with the success status,
/// for an answer that is not what Firecracker's API describes.
/// </summary>
public sealed class FirecrackerApiException : FirelineException
{
    public FirecrackerApiException(HttpStatusCode statusCode, string method, string path, string faultMessage)
        : base(ErrorKind.Conflict, "firecracker-error",
            $"Firecracker {((int)statusCode < 300 ? "answered" : "refused")} {method} {path} ({(int)statusCode}): {faultMessage}")
    {
        StatusCode = statusCode;
        Method = method;
        Path = path;
        FaultMessage = faultMessage;
    }

    public HttpStatusCode StatusCode { get; }

    public string Method { get; }

    /// <summary>The API path, e.g. <c>/network-interfaces/eth0</c>.</summary>
    public string Path { get; }

    /// <summary>Firecracker's <c>fault_message</c>, or what was wrong with its answer.</summary>
    public string FaultMessage { get; }
}
