using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fireline.Addressing;

/// <summary>A value written as text (a VM id, a subnet, a prefix) and parsed once where it is read.</summary>
public interface ITextValue<TSelf>
    where TSelf : ITextValue<TSelf>
{
    /// <summary>Parses the value's canonical text; throws when the text is not one.</summary>
    static abstract TSelf Parse(string text);
}

/// <summary>
/// JSON for a <see cref="ITextValue{TSelf}"/>: the same string its <c>ToString</c> gives, so the state file and the
/// API carry the text they always did while the domain holds the parsed value. Text that does not parse is a JSON
/// error, which the API reports as a value of the wrong type naming the field.
/// </summary>
public sealed class TextJsonConverter<T> : JsonConverter<T>
    where T : ITextValue<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string, not {reader.TokenType}");
        }

        try
        {
            return T.Parse(reader.GetString()!);
        }
        catch (Exception error) when (error is FormatException or Errors.FirelineException)
        {
            throw new JsonException(error.Message, error);
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
