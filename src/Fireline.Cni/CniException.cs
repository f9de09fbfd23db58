namespace Fireline.Cni;

/// <summary>
/// A CNI error: the spec's well-known code (or one of Fireline's, 100 and up; see <see cref="CniCodes"/>), a short
/// message and the details, written to stdout as the spec's error JSON with a non-zero exit code.
/// </summary>
internal sealed class CniException(int code, string message, string? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string? Details { get; } = details;
}
