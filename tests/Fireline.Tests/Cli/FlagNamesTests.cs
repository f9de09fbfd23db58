using System.Text.Json;
using Fireline.Cli.Output;
using Fireline.Errors;

namespace Fireline.Tests.Cli;

/// <summary>The CLI prints the fields a domain message names as its flags; the error's <c>field</c> stays the field's name.</summary>
public sealed class FlagNamesTests
{
    private static readonly FirelineException Refused = DomainErrors.InvalidInput("protocol", $"{FieldReference.Of("protocol")} must be tcp or udp, not 'sctp'");

    [Fact]
    public void A_table_names_the_flag()
    {
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = new Printer(OutputFormat.Table, output, error).Fail(Refused);

        Assert.Equal((ExitCodes.BadInput, "fireline: --proto must be tcp or udp, not 'sctp'\n"), (exit, error.ToString().ReplaceLineEndings("\n")));
    }

    [Fact]
    public void Json_names_the_flag_in_the_message_and_the_field_as_it_is()
    {
        var error = new StringWriter();

        new Printer(OutputFormat.Json, new StringWriter(), error).Fail(Refused);

        var body = JsonDocument.Parse(error.ToString()).RootElement.GetProperty("error");
        Assert.Equal(("--proto must be tcp or udp, not 'sctp'", "protocol"), (body.GetProperty("message").GetString(), body.GetProperty("field").GetString()));
    }

    [Fact]
    public void A_field_no_flag_sets_is_shown_as_the_domain_names_it()
        => Assert.Equal("`networks` is empty", FlagNames.Spell($"{FieldReference.Of("networks")} is empty"));
}
