namespace Fireline.Errors;

/// <summary>
/// A domain error with a stable machine-readable <see cref="Code"/> (e.g. <c>invalid-vm-id</c>) that the
/// CLI prints with <c>-o json</c> and the API returns as the problem's <c>code</c>.
/// </summary>
public class FirelineException : Exception
{
    public FirelineException(ErrorKind kind, string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Code = code;
    }

    public ErrorKind Kind { get; }

    public string Code { get; }

    /// <summary>The input field the error is about (<c>vmId</c>, <c>networks[1].subnet</c>), when there is one.</summary>
    public string? Field { get; init; }
}
