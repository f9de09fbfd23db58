namespace Fireline.Doctor;

/// <summary>One check of <c>fireline doctor</c>: what was checked, what was found and, when it failed, the fix.</summary>
public sealed record DoctorCheck
{
    /// <summary><c>host</c>, <c>network NAME</c> or <c>vm ID</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>A stable name (<c>ip-forwarding</c>, <c>tap</c>, <c>gateway-reachable</c>, ...).</summary>
    public required string Check { get; init; }

    public required CheckStatus Status { get; init; }

    /// <summary>What was found, in words.</summary>
    public required string Detail { get; init; }

    /// <summary>For a failure: the command or API call that fixes it.</summary>
    public string? Fix { get; init; }
}
