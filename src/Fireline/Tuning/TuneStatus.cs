using System.Text.Json.Serialization;

namespace Fireline.Tuning;

/// <summary>What <c>fireline host tune</c> found or did for one key.</summary>
public enum TuneStatus
{
    /// <summary>Already meets the profile.</summary>
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>Below the profile; <c>--apply</c> would set it.</summary>
    [JsonStringEnumMemberName("differs")]
    Differs,

    /// <summary>Set by this run (<c>--apply</c>).</summary>
    [JsonStringEnumMemberName("set")]
    Set,

    /// <summary>Below the profile but machine-wide, and the host namespace is not the machine's: left alone.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>This kernel has no such key (a module not loaded: nf_conntrack before the first NAT rule).</summary>
    [JsonStringEnumMemberName("unavailable")]
    Unavailable,
}
