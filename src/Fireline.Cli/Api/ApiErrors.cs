using System.Globalization;
using Fireline.Errors;

namespace Fireline.Cli.Api;

/// <summary>The errors of the HTTP layer itself (bodies, routes, access, the daemon's reachability), each code spelled once.</summary>
internal static class ApiErrors
{
    public const string BodyTooLargeCode = "body-too-large";
    public const string MethodNotAllowedCode = "method-not-allowed";
    public const string UnauthorizedCode = "unauthorized";

    /// <summary>A body that is not JSON, has a value of the wrong type, or misses a required field: nothing was changed.</summary>
    public static FirelineException InvalidBody(string field, string message)
        => DomainErrors.InvalidInput(field, $"request body: {message}");

    public static FirelineException UnknownField(string field, IEnumerable<string> known)
        => InvalidBody(field, $"unknown field {UserText.Quote(field)} (known here: {string.Join(", ", known)})");

    public static FirelineException RequiredField(string field)
        => InvalidBody(field, $"'{field}' is required");

    public static FirelineException BodyTooLarge(long limit)
        => new(ErrorKind.InvalidInput, BodyTooLargeCode,
            string.Create(CultureInfo.InvariantCulture, $"request body: larger than the daemon's limit of {limit} bytes")) { Field = "body" };

    public static FirelineException RouteNotFound(string method, string path)
        => new(ErrorKind.NotFound, "route-not-found", $"no route {UserText.Escape(method)} {UserText.Escape(path)} (the API is described at GET /openapi.json)");

    public static FirelineException MethodNotAllowed(string method, string path)
        => new(ErrorKind.InvalidInput, MethodNotAllowedCode, $"{UserText.Escape(path)} does not take {UserText.Escape(method)} (the API is described at GET /openapi.json)");

    public static FirelineException Unauthorized()
        => new(ErrorKind.InvalidInput, UnauthorizedCode, "the TCP listener needs 'Authorization: Bearer <token>' with the daemon's token");

    public static FirelineException DaemonUnreachable(string socket, string reason)
        => new(ErrorKind.Unavailable, "daemon-unreachable", $"cannot reach the fireline daemon at {socket}: {reason}");

    public static FirelineException UnexpectedAnswer(string what, string detail)
        => new(ErrorKind.Unavailable, "daemon-unreachable", $"the daemon's answer to {what} is not what this fireline understands: {detail}");
}
