using System.Text.Json.Serialization;

namespace Fireline.Doctor;

/// <summary>The outcome of one doctor check.</summary>
public enum CheckStatus
{
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>Something is wrong; the check says what and how to fix it.</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>Worth knowing, not wrong (no VMM has the TAP open yet).</summary>
    [JsonStringEnumMemberName("info")]
    Info,
}
