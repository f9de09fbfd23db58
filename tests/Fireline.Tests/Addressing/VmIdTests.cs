using Fireline.Addressing;
using Fireline.Errors;

namespace Fireline.Tests.Addressing;

public sealed class VmIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("vm-1")]
    [InlineData("0abc_DEF.9-x")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Accepts_ids_of_the_allowed_alphabet(string id) => Assert.Equal(id, VmId.Parse(id).Value);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-a", "start")]
    [InlineData(".a", "start")]
    [InlineData("a/b", "'/'")]
    [InlineData("a b", "' '")]
    [InlineData("a\nb", "not allowed")]
    [InlineData("é", "start")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "65 characters")]
    public void Refuses_anything_else_with_a_reason(string id, string reason)
    {
        var error = Assert.Throws<FirelineException>(() => VmId.Parse(id));
        Assert.Equal("invalid-vm-id", error.Code);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal("vmId", error.Field);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
