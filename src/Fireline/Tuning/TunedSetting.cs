using System.Text.Json.Serialization;

namespace Fireline.Tuning;

/// <summary>One line of <c>fireline host tune</c>: a profile key, its value now, and what was or would be done.</summary>
public sealed record TunedSetting
{
    public required string Key { get; init; }

    public required SysctlScope Scope { get; init; }

    /// <summary>The value before this run; null when the kernel lacks the key.</summary>
    public string? Current { get; init; }

    /// <summary>The value the profile calls for, merged with the current one so nothing is lowered.</summary>
    public required string Wanted { get; init; }

    public required TuneStatus Status { get; init; }

    public required string Reason { get; init; }

    /// <summary>Why a key was skipped or is unavailable.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Note { get; init; }
}
