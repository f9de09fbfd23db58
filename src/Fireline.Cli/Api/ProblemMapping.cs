using Fireline.Errors;

namespace Fireline.Cli.Api;

/// <summary>
/// The one mapping between Fireline's errors and HTTP: the daemon turns a <see cref="FirelineException"/> into a
/// problem with this status, and the client turns the problem back into the same exception (code, kind, field
/// and message), so the CLI prints the same error whether it worked in-process or through the daemon.
/// </summary>
internal static class ProblemMapping
{
    private const string TypePrefix = "urn:fireline:error:";

    private static readonly (ErrorKind Kind, string Name, int Status, string Title)[] Kinds =
    [
        (ErrorKind.InvalidInput, "invalid-input", 400, "Invalid input"),
        (ErrorKind.NotFound, "not-found", 404, "Not found"),
        (ErrorKind.Conflict, "conflict", 409, "Conflict with the current state"),
        (ErrorKind.Exhausted, "exhausted", 409, "Capacity exhausted"),
        (ErrorKind.Unavailable, "unavailable", 503, "Unavailable"),
        (ErrorKind.Kernel, "kernel", 500, "The kernel refused an operation"),
    ];

    /// <summary>Codes whose HTTP status says more than their kind's.</summary>
    private static readonly Dictionary<string, int> StatusByCode = new(StringComparer.Ordinal)
    {
        [ApiErrors.BodyTooLargeCode] = 413,
        [ApiErrors.MethodNotAllowedCode] = 405,
        [ApiErrors.UnauthorizedCode] = 401,
        ["unsupported"] = 501,
    };

    public static ProblemDocument ToProblem(FirelineException error)
    {
        var kind = Kinds.Single(k => k.Kind == error.Kind);
        var status = StatusByCode.GetValueOrDefault(error.Code, kind.Status);
        return new ProblemDocument
        {
            Type = TypePrefix + error.Code,
            Title = kind.Title,
            Status = status,
            Detail = error.Message,
            Code = error.Code,
            Kind = kind.Name,
            Field = error.Field,
        };
    }

    /// <summary>
    /// The exception a problem stands for. A problem without Fireline's extensions (from a proxy, say) gets its
    /// kind from the status, so the exit code still tells bad input (2) from a failure (1).
    /// </summary>
    public static FirelineException ToException(ProblemDocument problem, int status)
    {
        var kind = Kinds.FirstOrDefault(k => k.Name == problem.Kind).Name is not null
            ? Kinds.First(k => k.Name == problem.Kind).Kind
            : status switch
            {
                404 => ErrorKind.NotFound,
                409 => ErrorKind.Conflict,
                >= 400 and < 500 => ErrorKind.InvalidInput,
                _ => ErrorKind.Unavailable,
            };
        return new FirelineException(kind, problem.Code, problem.Detail) { Field = problem.Field };
    }
}
