using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fireline.Documents;
using Fireline.Errors;
using Fireline.Networks;
using Xunit.Abstractions;

namespace Fireline.Tests.Networks;

/// <summary>
/// Validation is linear in the input and bounded: documents up to 16 MiB, of every shape that could make work grow,
/// are accepted or refused. Each case prints its size and time (this machine's figure for the 2 s budget); the
/// asserts are on the outcome only.
/// </summary>
public sealed class DocumentSizeTests(ITestOutputHelper output)
{
    private const int Mib16 = BoundedYaml.MaxDocumentLength;

    [Fact]
    public void A_file_of_4096_networks_is_accepted()
    {
        var networks = Time("4,096 networks, 2 rules each", Networks(4_096, rules: 2), NetworkFileParser.Parse);

        Assert.Equal(4_096, networks.Count);
        Assert.Equal("10.15.255.0/24", networks[^1].Subnet.ToString());
    }

    [Fact]
    public void The_largest_file_within_the_bounds_is_accepted()
    {
        var networks = Time("4,096 networks, 4 rules each", Networks(4_096, rules: 4), NetworkFileParser.Parse);

        Assert.Equal(4_096 * 4, networks.Sum(n => n.Policies.Count));
        Assert.Throws<FirelineException>(() => Time("4,096 networks, 5 rules each", Networks(4_096, rules: 5), NetworkFileParser.Parse));
    }

    [Fact]
    public void A_file_of_4097_networks_is_refused_naming_the_list()
    {
        var error = Assert.Throws<FirelineException>(() => Time("4,097 networks", Networks(4_097, rules: 0), NetworkFileParser.Parse));

        Assert.Equal("networks[4096]", error.Field);
    }

    [Fact]
    public void Sixteen_mib_of_networks_are_refused_without_reading_past_the_limit()
    {
        var error = Assert.Throws<FirelineException>(() => Time("16 MiB of networks", Fill(Networks(20_000, rules: 2)), NetworkFileParser.Parse));

        Assert.Equal("networks[4096]", error.Field);
    }

    [Fact]
    public void Sixteen_mib_of_junk_is_refused()
    {
        var random = new Random(16);
        var junk = new StringBuilder(Mib16);
        while (junk.Length < Mib16)
        {
            junk.Append((char)random.Next(32, 127));
        }

        var error = Assert.Throws<FirelineException>(() => Time("16 MiB of random printable ASCII", junk.ToString(), NetworkFileParser.Parse));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
    }

    [Fact]
    public void Sixteen_mib_of_nesting_is_refused_at_the_depth_limit()
    {
        var error = Assert.Throws<FirelineException>(() => Time("16 MiB of '['", "networks: " + new string('[', Mib16 - 10), NetworkFileParser.Parse));

        Assert.Contains("deeper than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sixteen_mib_value_is_refused_naming_its_field()
    {
        var error = Assert.Throws<FirelineException>(() => Time("a 16 MiB name", $"networks:\n  - name: \"{new string('a', Mib16 - 30)}\"\n", NetworkFileParser.Parse));

        Assert.Equal("networks[0].name", error.Field);
    }

    [Fact]
    public void Sixteen_mib_of_small_values_are_refused_at_the_node_limit()
    {
        var list = "[" + string.Join(",", Enumerable.Repeat("0", 4_000)) + "],";
        var error = Assert.Throws<FirelineException>(() => Time("16 MiB of flow lists", "networks: [" + Fill(list, Mib16 - 20).TrimEnd(',') + "]", NetworkFileParser.Parse));

        Assert.Contains("more than 262,144 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sixteen_mib_of_comments_around_a_network_are_read()
    {
        var networks = Time("16 MiB of comments and one network", Fill("# a comment line\n", Mib16 - 1000) + Networks(1, rules: 1), NetworkFileParser.Parse);

        Assert.Single(networks);
    }

    /// <summary>A networks file: network i is n{i} on 10.x.y.0/24, with the given number of rules.</summary>
    private static string Networks(int count, int rules)
    {
        var text = new StringBuilder("networks:\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - name: n{i}\n    subnet: 10.{i >> 8}.{i & 255}.0/24\n");
            if (rules > 0)
            {
                text.Append("    policies:\n");
            }

            for (var r = 0; r < rules; r++)
            {
                text.Append(CultureInfo.InvariantCulture, $"      - {{ name: rule-{r}, direction: ingress, protocol: tcp, port: {8000 + r}, source: 192.0.2.0/24, action: allow }}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The text repeated up to <paramref name="length"/> characters (16 MiB by default).</summary>
    private static string Fill(string text, int length = Mib16)
    {
        var filled = new StringBuilder(length);
        while (filled.Length + text.Length <= length)
        {
            filled.Append(text);
        }

        return filled.ToString();
    }

    private T Time<T>(string what, string document, Func<string, T> parse)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        try
        {
            return parse(document);
        }
        finally
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}: {document.Length / 1024.0 / 1024.0:F2} MiB in {clock.Elapsed.TotalMilliseconds:F0} ms ({(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms of CPU on all threads)"));
        }
    }
}
