using System.Text;
using System.Text.Json;
using Fireline.Documents;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Networks;

/// <summary>
/// A networks document's bounds as a daemon and its CLI meet them: a document bigger than other bodies is taken up
/// to its own limit, an alias bomb and too many networks are refused naming their field, a file over 16 MiB is
/// refused by the CLI before it is sent.
/// </summary>
[Trait("Category", Categories.Integration)]
public sealed class DocumentLimitsTests : IDisposable
{
    private readonly EngineHost _env = new();
    private readonly DaemonProcess _daemon;

    public DocumentLimitsTests()
    {
        _env.Engine.Dispose();
        _daemon = new DaemonProcess(_env);
        Assert.Equal(200, _daemon.Send("PUT", "/v1/host", "{}").Status);
    }

    [Fact]
    public void A_document_of_megabytes_is_taken_through_the_api_where_other_bodies_stop_at_64_kib()
    {
        // Over Kestrel's 1 MiB drain limit too, which the route raises for its own request.
        var document = new StringBuilder("networks:\n  - name: big\n    subnet: 10.60.0.0/24\n");
        while (document.Length < 2 * 1024 * 1024)
        {
            document.Append("# a comment that makes the document large\n");
        }

        var answer = _daemon.Send("POST", "/v1/networks:apply", Body(document.ToString(), dryRun: true));

        Assert.Equal(200, answer.Status);
        Assert.Equal("big", Assert.Single(answer.Json.GetProperty("changes").EnumerateArray()).GetProperty("network").GetString());
        Assert.Equal(413, _daemon.Send("PUT", "/v1/networks/big", "{\"subnet\":\"10.60.0.0/24\"," + new string(' ', 70_000) + "}").Status);
    }

    [Fact]
    public void An_alias_bomb_and_too_many_networks_are_refused_through_the_api_naming_their_field()
    {
        var bomb = _daemon.Send("POST", "/v1/networks:apply", Body("networks:\n  - name: &a [lol, lol, lol]\n    subnet: &b [*a, *a, *a]\n", dryRun: false));
        var many = _daemon.Send("POST", "/v1/networks:apply",
            Body("networks:\n" + string.Concat(Enumerable.Range(0, BoundedYaml.MaxItems + 1).Select(i => $"  - {{name: n{i}, subnet: 10.{i >> 8}.{i & 255}.0/24}}\n")), dryRun: false));

        Assert.Equal((400, "networks[0].name"), (bomb.Status, bomb.Json.GetProperty("field").GetString()));
        Assert.Contains("an anchor", bomb.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((400, "networks[4096]"), (many.Status, many.Json.GetProperty("field").GetString()));
        Assert.Single(_daemon.Send("GET", "/v1/networks").Json.EnumerateArray());
    }

    [Fact]
    public void A_body_over_the_document_limit_is_refused_and_changes_nothing()
    {
        var body = Body("networks:\n  - {name: huge, subnet: 10.61.0.0/24}\n" + new string('#', (2 * BoundedYaml.MaxDocumentLength) + 70_000), dryRun: false);

        // The daemon answers 413 from the announced length and closes the connection rather than read 32 MiB it
        // refuses: the client sees the answer, or its upload cut off.
        try
        {
            var answer = _daemon.Send("POST", "/v1/networks:apply", body);
            Assert.Equal((413, "body-too-large"), (answer.Status, answer.Json.GetProperty("code").GetString()));
        }
        catch (HttpRequestException)
        {
        }

        Assert.Equal(404, _daemon.Send("GET", "/v1/networks/huge").Status);
    }

    [Fact]
    public void The_cli_refuses_a_file_over_16_mib_before_sending_it()
    {
        var path = Path.Combine(_daemon.SocketDirectory, "big.yaml");
        File.WriteAllText(path, "networks: []\n" + new string('#', BoundedYaml.MaxDocumentLength));

        var result = _daemon.Cli("-o", "json", "network", "apply", "-f", path);

        Assert.Equal(2, result.ExitCode);
        var error = JsonDocument.Parse(result.StandardError).RootElement.GetProperty("error");
        Assert.Equal("--file", error.GetProperty("field").GetString());
        Assert.Contains("larger than 16 MiB", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _daemon.Dispose();
        _env.Dispose();
    }

    private static string Body(string document, bool dryRun) => JsonSerializer.Serialize(new { document, dryRun });
}
