using Fireline.Cli.Api;
using Fireline.Cli.Daemon;
using Fireline.Errors;
using Fireline.Host;
using Fireline.Policy;

namespace Fireline.Tests.Cli;

/// <summary>The API's other bodies deserialize into the domain's requests: a field left out takes the domain's default, a bad one is named.</summary>
public sealed class RequestBodiesTests
{
    [Fact]
    public void An_empty_host_body_takes_the_design_documents_defaults()
        => Assert.Equal(new HostInitRequest(), RequestBody.Parse("{}"u8.ToArray(), ApiRequestJson.Default.HostInitRequest));

    [Fact]
    public void A_host_body_keeps_what_it_says_and_defaults_the_rest()
        => Assert.Equal(new HostInitRequest { Uplink = "up0", Nat = false, Bridge = HostInitRequest.DefaultBridge },
            RequestBody.Parse("""{"uplink":"up0","nat":false}"""u8.ToArray(), ApiRequestJson.Default.HostInitRequest));

    [Fact]
    public void A_forward_is_tcp_unless_it_says_udp()
    {
        var forward = RequestBody.Parse("""{"hostPort":8080,"vmPort":80}"""u8.ToArray(), ApiRequestJson.Default.ForwardRequest);
        var udp = RequestBody.Parse("""{"hostPort":5353,"vmPort":53,"protocol":"udp"}"""u8.ToArray(), ApiRequestJson.Default.ForwardRequest);

        Assert.Equal((ForwardProtocol.Tcp, 8080, 80, false), (forward.Protocol, forward.HostPort, forward.VmPort, forward.AllowPrivilegedPort));
        Assert.Equal(ForwardProtocol.Udp, udp.Protocol);
    }

    [Theory]
    [InlineData("""{"bridge":null}""", "bridge")]
    [InlineData("""{"subnet":null}""", "subnet")]
    [InlineData("""{"nat":"yes"}""", "nat")]
    [InlineData("""{"uplinks":"up0"}""", "uplinks")]
    public void A_bad_host_body_is_refused_naming_the_field(string json, string field)
        => Assert.Equal(field, Refused(() => RequestBody.Parse(System.Text.Encoding.UTF8.GetBytes(json), ApiRequestJson.Default.HostInitRequest)));

    [Theory]
    [InlineData("""{"hostPort":8080,"vmPort":80,"protocol":"sctp"}""", "protocol")]
    [InlineData("""{"hostPort":8080,"vmPort":80,"protocol":"TCP"}""", "protocol")]
    [InlineData("""{"hostPort":8080,"vmPort":80,"protocol":"010"}""", "protocol")]
    [InlineData("""{"hostPort":8080,"vmPort":80,"protocol":1}""", "protocol")]
    [InlineData("""{"hostPort":8080}""", "vmPort")]
    [InlineData("""{"vmPort":80}""", "hostPort")]
    [InlineData("""{"hostPort":8080,"vmPort":80,"proto":"udp"}""", "proto")]
    public void A_bad_forward_is_refused_naming_the_field(string json, string field)
        => Assert.Equal(field, Refused(() => RequestBody.Parse(System.Text.Encoding.UTF8.GetBytes(json), ApiRequestJson.Default.ForwardRequest)));

    [Theory]
    [InlineData("""{"dryRun":true}""", "document")]
    [InlineData("""{"document":null}""", "document")]
    [InlineData("""{"document":"networks: []","purge":true}""", "purge")]
    public void A_bad_apply_is_refused_naming_the_field(string json, string field)
        => Assert.Equal(field, Refused(() => RequestBody.Parse(System.Text.Encoding.UTF8.GetBytes(json), ApiRequestJson.Default.NetworkApplyBody)));

    [Fact]
    public void The_cli_names_a_bad_protocol_as_the_field_it_is()
        => Assert.Equal("protocol", Assert.Throws<FirelineException>(() => ForwardProtocols.Parse("sctp")).Field);

    private static string? Refused(Action parse)
    {
        var error = Assert.Throws<FirelineException>(parse);
        Assert.Equal("invalid-argument", error.Code);
        return error.Field;
    }
}
