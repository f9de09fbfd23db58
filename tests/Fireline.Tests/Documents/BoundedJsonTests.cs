using System.Text.Json;
using Fireline.Documents;
using Fireline.Errors;

namespace Fireline.Tests.Documents;

/// <summary>A JSON body is read into the tree a YAML document is read into, with the same bounds.</summary>
public sealed class BoundedJsonTests
{
    [Fact]
    public void Strings_stay_text_numbers_and_booleans_are_their_json_text_and_null_fields_are_absent()
    {
        using var json = JsonDocument.Parse("""{"a":"yes","b":12,"c":true,"d":null,"e":["x",null]}""");

        var map = Assert.IsType<DocumentMap>(BoundedJson.Load(json.RootElement, "body"));

        Assert.Equal(("yes", false), Text(map["a"]));
        Assert.Equal(("12", true), Text(map["b"]));
        Assert.Equal(("true", true), Text(map["c"]));
        Assert.Null(map["d"]);
        Assert.Equal([("x", false), ("null", true)], Assert.IsType<DocumentList>(map["e"]).Items.Select(Text));
        Assert.Equal(0, map.Line);
    }

    [Theory]
    [InlineData("""{"a":{"b":[[[[[[[[[1]]]]]]]]]}}""", "a.b[0][0][0][0][0][0][0][0]", "nested deeper than 10 levels")]
    [InlineData("""{"policies":[{"name":"\ud800"}]}""", "policies[0].name", "a lone UTF-16 surrogate")]
    [InlineData("""{"a":1,"a":2}""", "a", "a key said twice")]
    public void What_the_yaml_reader_refuses_is_refused_naming_the_field(string json, string field, string words)
    {
        using var document = JsonDocument.Parse(json);

        var error = Assert.Throws<FirelineException>(() => BoundedJson.Load(document.RootElement, "body"));

        Assert.Equal(field, error.Field);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_and_values_are_bounded()
    {
        using var items = JsonDocument.Parse(JsonSerializer.Serialize(new { dns = Enumerable.Repeat("x", BoundedYaml.MaxItems + 1) }));
        using var value = JsonDocument.Parse(JsonSerializer.Serialize(new { bridge = new string('b', BoundedYaml.MaxValueLength + 1) }));

        Assert.Equal($"dns[{BoundedYaml.MaxItems}]", Assert.Throws<FirelineException>(() => BoundedJson.Load(items.RootElement, "body")).Field);
        Assert.Equal("bridge", Assert.Throws<FirelineException>(() => BoundedJson.Load(value.RootElement, "body")).Field);
    }

    private static (string, bool) Text(DocumentNode? node)
    {
        var text = Assert.IsType<DocumentText>(node);
        return (text.Value, text.Plain);
    }
}
