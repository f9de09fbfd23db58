using System.Text;
using System.Text.Json;
using Fireline.Cli.Api;
using Fireline.Cli.Daemon;
using Fireline.Errors;
using Fireline.Firecracker;
using Fireline.Networks;
using Fireline.Vms;

namespace Fireline.Tests.Cli;

/// <summary>What the daemon and its client agree on: bodies that carry requests whole, and errors that come back the same.</summary>
public sealed class ApiContractTests
{
    [Fact]
    public void A_create_request_survives_the_trip_through_the_api_body()
    {
        var request = new VmCreateRequest
        {
            VmId = "vm1",
            Network = "tenant-a",
            RateLimits = new RateLimits
            {
                Rx = new RateLimit { Bandwidth = Bucket.ForBandwidth(10_000_000) with { OneTimeBurst = 4096 } },
                Tx = new RateLimit { Ops = new Bucket { Size = 100, RefillTimeMs = 1000 } },
            },
            TapOwner = 1000,
            TapGroup = 1001,
        };

        var json = JsonSerializer.Serialize(request, ApiRequestJson.Default.VmCreateRequest);
        var body = RequestBody.Parse(Encoding.UTF8.GetBytes(json), ApiRequestJson.Default.VmCreateRequest);

        Assert.Equal(request, body with { VmId = "vm1" });
        Assert.Equal("""{"network":"tenant-a","rateLimits":{"rx":{"bandwidth":{"size":1000000,"refillTimeMs":100,"oneTimeBurst":4096}},"tx":{"ops":{"size":100,"refillTimeMs":1000}}},"tapOwner":1000,"tapGroup":1001}""", json);
    }

    [Fact]
    public void No_limits_is_an_empty_object_and_comes_back_as_none()
    {
        var json = JsonSerializer.Serialize(new RateLimits(), ApiRequestJson.Default.RateLimits);

        Assert.Equal("{}", json);
        Assert.True(RequestBody.Parse(Encoding.UTF8.GetBytes(json), ApiRequestJson.Default.RateLimits).IsEmpty);
    }

    [Theory]
    [InlineData("""{"rateLimits":{"rx":{"bandwidth":{"size":1,"refillTimeMs":1,"burst":5}}}}""", "rateLimits.rx.bandwidth.burst")]
    [InlineData("""{"rateLimits":{"rx":{"bandwidth":{"refillTimeMs":1}}}}""", "rateLimits.rx.bandwidth.size")]
    [InlineData("""{"Network":"a"}""", "Network")]
    [InlineData("""{"vmId":"a"}""", "vmId")]
    public void Unknown_and_missing_fields_are_named(string json, string field)
    {
        var error = Assert.Throws<FirelineException>(() => RequestBody.Parse(Encoding.UTF8.GetBytes(json), ApiRequestJson.Default.VmCreateRequest));

        Assert.Equal(field, error.Field);
        Assert.Equal("invalid-argument", error.Code);
    }

    [Fact]
    public void An_unknown_field_is_refused_naming_the_known_ones()
        => Assert.Equal("request body: unknown field 'vmId' (known here: network, rateLimits, ipv6, tapOwner, tapGroup, sriov, policies)",
            Assert.Throws<FirelineException>(() => RequestBody.Parse("""{"vmId":"a"}"""u8.ToArray(), ApiRequestJson.Default.VmCreateRequest)).Message);

    [Fact]
    public void An_unknown_field_is_refused_by_the_serializer_too()
        => Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"rateLimits":{"rx":{"burst":1}}}""", ApiRequestJson.Default.VmCreateRequest));

    public static TheoryData<FirelineException, int> Errors() => new()
    {
        { DomainErrors.InvalidVmId("-x", "it must start with a letter or digit"), 400 },
        { DomainErrors.VmNotFound("x"), 404 },
        { DomainErrors.NetworkNotFound("n"), 404 },
        { DomainErrors.Conflict("taken", "vmId"), 409 },
        { DomainErrors.SubnetExhausted("n", "10.0.0.0/30", 1), 409 },
        { DomainErrors.BridgeInUse("n", "docker0", "carries no mark of this Fireline instance"), 409 },
        { DomainErrors.StateLocked("/var/lib/fireline", "cli (pid 1)"), 503 },
        { DomainErrors.HostNotInitialized(), 503 },
        { DomainErrors.Unsupported("no 8021q", "vlan"), 501 },
        { new FirelineException(ErrorKind.Kernel, "kernel-error", "kernel call failed: EPERM"), 500 },
        { ApiErrors.BodyTooLarge(65536), 413 },
        { ApiErrors.MethodNotAllowed("POST", "/v1/vms"), 405 },
        { ApiErrors.Unauthorized(), 401 },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Every_error_becomes_a_problem_and_comes_back_as_the_same_error(FirelineException error, int status)
    {
        var problem = ProblemMapping.ToProblem(error);
        var json = JsonSerializer.Serialize(problem, ApiJson.Default.ProblemDocument);
        var back = ProblemMapping.ToException(JsonSerializer.Deserialize(json, ApiJson.Default.ProblemDocument)!, problem.Status);

        Assert.Equal(status, problem.Status);
        Assert.Equal($"urn:fireline:error:{error.Code}", problem.Type);
        Assert.Equal((error.Kind, error.Code, error.Message, error.Field), (back.Kind, back.Code, back.Message, back.Field));
    }

    [Fact]
    public void A_problem_without_fireline_extensions_still_tells_bad_input_from_failure()
    {
        var foreign = new ProblemDocument { Type = "about:blank", Title = "Bad Gateway", Status = 502, Detail = "upstream", Code = "", Kind = "" };

        Assert.Equal(ErrorKind.Unavailable, ProblemMapping.ToException(foreign, 502).Kind);
        Assert.Equal(ErrorKind.InvalidInput, ProblemMapping.ToException(foreign with { Status = 422 }, 422).Kind);
    }

    [Fact]
    public void A_json_network_goes_through_the_networks_file_parser()
    {
        using var body = JsonDocument.Parse("""
            {"subnet":"10.200.0.0/24","nat":false,"vlan":12,"dns":["10.0.0.53"],"metadata":null,
             "policies":[{"name":"web","direction":"ingress","protocol":"tcp","port":"80-81","action":"allow"}]}
            """);

        var network = Assert.Single(NetworkDocument.FromJson(body.RootElement, "tenant-a").Networks);

        Assert.Equal(("tenant-a", "10.200.0.0/24", false, 12), (network.Name, network.Subnet.ToString(), network.Nat, network.Vlan));
        Assert.Equal(["10.0.0.53"], network.Dns);
        Assert.Equal((80, 81), (network.Policies[0].PortFrom, network.Policies[0].PortTo));
    }

    [Fact]
    public void The_parsers_answer_is_told_in_the_bodys_terms()
    {
        using var body = JsonDocument.Parse("""{"subnet":"10.200.0.0/24","nat":"perhaps"}""");

        var told = Assert.Throws<FirelineException>(() => NetworkDocument.FromJson(body.RootElement, "t"));

        Assert.Equal("nat", told.Field);
        Assert.Equal("nat: network 't': nat must be true or false, not 'perhaps'", told.Message);
    }
}
