using System.Text;
using Fireline.Documents;
using Fireline.Errors;
using Fireline.Networks;

namespace Fireline.Tests.Documents;

/// <summary>YAML's features that make work grow faster than the text are refused at the event that shows them.</summary>
public sealed class BoundedYamlTests
{
    /// <summary>The "billion laughs", 640 bytes: ten aliases per level over eight levels, 10^8 values if it were expanded.</summary>
    private const string AliasBomb = """
        networks:
          - name: &lol1 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]
            subnet: &lol2 [*lol1,*lol1,*lol1,*lol1,*lol1,*lol1,*lol1,*lol1,*lol1,*lol1]
            bridge: &lol3 [*lol2,*lol2,*lol2,*lol2,*lol2,*lol2,*lol2,*lol2,*lol2,*lol2]
            dns: &lol4 [*lol3,*lol3,*lol3,*lol3,*lol3,*lol3,*lol3,*lol3,*lol3,*lol3]
            ipv6: &lol5 [*lol4,*lol4,*lol4,*lol4,*lol4,*lol4,*lol4,*lol4,*lol4,*lol4]
            nat: &lol6 [*lol5,*lol5,*lol5,*lol5,*lol5,*lol5,*lol5,*lol5,*lol5,*lol5]
            metadata: &lol7 [*lol6,*lol6,*lol6,*lol6,*lol6,*lol6,*lol6,*lol6,*lol6,*lol6]
            policies: [*lol7,*lol7,*lol7,*lol7,*lol7,*lol7,*lol7,*lol7,*lol7,*lol7]
        """;

    [Fact]
    public void An_alias_bomb_is_refused_at_its_first_anchor()
    {
        Assert.InRange(Encoding.UTF8.GetByteCount(AliasBomb), 500, 700);

        AssertRefused(AliasBomb, "networks[0].name", "an anchor (&name)", line: 2);
    }

    [Theory]
    [InlineData("networks:\n  - name: a\n    subnet: *s\n", "networks[0].subnet", "an alias")]
    [InlineData("networks:\n  - name: !!str a\n    subnet: 10.1.0.0/16\n", "networks[0].name", "a tag (tag:yaml.org,2002:str)")]
    [InlineData("networks:\n  - name: !<!x> a\n    subnet: 10.1.0.0/16\n", "networks[0].name", "a tag")]
    [InlineData("networks: !!seq\n  - name: a\n", "networks", "a tag")]
    [InlineData("networks:\n  - name: a\n    <<: {subnet: 10.1.0.0/16}\n", "networks[0].<<", "a merge key")]
    [InlineData("networks:\n  - name: a\n    ? [subnet]\n    : 10.1.0.0/16\n", "networks[0]", "a key must be text")]
    [InlineData("networks:\n  - name: a\n    {subnet: x}: 10.1.0.0/16\n", "networks[0]", "a key must be text")]
    [InlineData("networks: []\n---\nnetworks: []\n", "file", "a second YAML document")]
    [InlineData("%TAG !x! tag:example.com,2000:\n---\nnetworks: !x!y []\n", "networks", "a tag")]
    public void Anchors_aliases_tags_merges_and_complex_keys_are_refused_naming_the_field(string yaml, string field, string words)
        => AssertRefused(yaml, field, words);

    [Fact]
    public void A_quoted_merge_key_is_only_an_unknown_key()
        => AssertRefused("networks:\n  - name: a\n    \"<<\": x\n    subnet: 10.1.0.0/16\n", "networks[0].<<", "unknown key '<<'");

    [Fact]
    public void Nesting_lists_values_and_nodes_are_bounded()
    {
        AssertRefused("networks: " + new string('[', 50) + new string(']', 50), "networks[0][0][0][0][0][0][0][0][0]", "deeper than 10 levels");
        AssertRefused($"networks:\n  - name: {new string('a', 5_000)}\n", "networks[0].name", "a value of 5,000 characters");
        AssertRefused("networks:\n" + string.Concat(Enumerable.Repeat("  - x\n", BoundedYaml.MaxItems + 1)), $"networks[{BoundedYaml.MaxItems}]", "more than 4,096 items");
        var wide = "[" + string.Join(",", Enumerable.Repeat("1", 4_000)) + "]";
        // Three nodes (the root, its key, the outer list), then 4,001 per inner list (itself and its items).
        var over = BoundedYaml.MaxNodes + 1 - 3 - 1;
        AssertRefused("networks: [" + string.Join(",", Enumerable.Repeat(wide, 100)) + "]", $"networks[{over / 4_001}][{(over % 4_001) - 1}]", "more than 262,144 values");
    }

    [Fact]
    public void A_document_over_16_mib_is_refused_before_it_is_parsed()
        => AssertRefused("networks: []\n" + new string('#', BoundedYaml.MaxDocumentLength), "file", "at most 16,777,216");

    private static void AssertRefused(string yaml, string field, string words, long? line = null)
    {
        var error = Assert.Throws<FirelineException>(() => NetworkFileParser.Parse(yaml));
        Assert.Equal("invalid-argument", error.Code);
        Assert.Equal(field, error.Field);
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
        if (line is not null)
        {
            Assert.Contains($"(line {line})", error.Message, StringComparison.Ordinal);
        }
    }
}
