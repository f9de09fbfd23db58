namespace Fireline.Tuning;

/// <summary>
/// <c>fireline host tune</c>: the profile as a diff against the host, what <c>--apply</c> set, and the
/// sysctl.d file <c>--write</c> wrote.
/// </summary>
public sealed record TuneReport
{
    public required bool Applied { get; init; }

    /// <summary>
    /// Whether the host namespace is the one Fireline runs in (the machine's own on a normal install), the only
    /// one machine-wide keys are set from.
    /// </summary>
    public required bool MachineNamespace { get; init; }

    /// <summary>The sysctl.d file written, when one was.</summary>
    public string? File { get; init; }

    public required IReadOnlyList<TunedSetting> Settings { get; init; }
}
