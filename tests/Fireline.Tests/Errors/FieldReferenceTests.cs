using Fireline.Errors;

namespace Fireline.Tests.Errors;

/// <summary>Domain messages name fields, never flags: marked so each front end spells them its own way.</summary>
public sealed class FieldReferenceTests
{
    [Fact]
    public void Each_named_field_is_spelled_and_the_rest_of_the_message_kept()
    {
        var message = $"{FieldReference.Of("hostPort")} 22 is low; ask for it with {FieldReference.Of("allowPrivilegedPort")}";

        var spelled = FieldReference.Respell(message, field => field == "hostPort" ? "--host-port" : null);

        Assert.Equal("--host-port 22 is low; ask for it with `allowPrivilegedPort`", spelled);
    }

    [Fact]
    public void A_callers_text_can_never_pass_for_a_field()
    {
        var error = DomainErrors.NetworkNotFound("`uplink`");

        Assert.Equal(error.Message, FieldReference.Respell(error.Message, _ => "--uplink"));
        Assert.Contains(@"'\u0060uplink\u0060'", error.Message, StringComparison.Ordinal);
    }
}
