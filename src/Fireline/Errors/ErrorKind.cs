namespace Fireline.Errors;

/// <summary>The families of domain errors; the CLI maps each to an exit code and the API to an HTTP status, each in one place.</summary>
public enum ErrorKind
{
    /// <summary>Bad input: a malformed id, a bad CIDR, an unknown option value. Nothing was changed.</summary>
    InvalidInput,

    /// <summary>The named VM or network does not exist.</summary>
    NotFound,

    /// <summary>The request contradicts existing state (same id, different options; a network in use).</summary>
    Conflict,

    /// <summary>A capacity limit: the subnet has no free address, the bridge has no free port.</summary>
    Exhausted,

    /// <summary>Another process owns the state, or the host is not set up for the request.</summary>
    Unavailable,

    /// <summary>The kernel refused an operation; the host was left as it was before the request.</summary>
    Kernel,
}
