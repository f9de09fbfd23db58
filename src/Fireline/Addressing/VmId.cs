using System.Text.Json.Serialization;
using Fireline.Errors;

namespace Fireline.Addressing;

/// <summary>
/// A VM's id: 1-64 characters of [A-Za-z0-9_.-], starting with a letter or digit. The id is part of the
/// namespace name (<c>vm-ID</c>) and of paths, so nothing else is accepted.
/// </summary>
[JsonConverter(typeof(TextJsonConverter<VmId>))]
public readonly record struct VmId : ITextValue<VmId>, IComparable<VmId>
{
    public const int MaxLength = 64;

    private VmId(string value) => Value = value;

    public string Value { get; }

    public static VmId Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw DomainErrors.InvalidVmId(value ?? "", "it is empty");
        }

        if (value.Length > MaxLength)
        {
            throw DomainErrors.InvalidVmId(value, $"it has {value.Length} characters, at most {MaxLength} are allowed");
        }

        if (!char.IsAsciiLetterOrDigit(value[0]))
        {
            throw DomainErrors.InvalidVmId(value, "it must start with a letter or digit");
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '.' and not '-')
            {
                throw DomainErrors.InvalidVmId(value, $"{UserText.Quote(c.ToString())} is not allowed (letters, digits, '_', '.', '-')");
            }
        }

        return new VmId(value);
    }

    static VmId ITextValue<VmId>.Parse(string text) => Parse(text);

    public static bool IsValid(string? value)
    {
        try
        {
            Parse(value);
            return true;
        }
        catch (FirelineException)
        {
            return false;
        }
    }

    /// <summary>Ordinal, as SQLite orders the ids (ASCII only, so byte order).</summary>
    public int CompareTo(VmId other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;
}
