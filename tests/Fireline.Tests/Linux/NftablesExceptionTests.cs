using Fireline.Linux;
using Fireline.Linux.Nftables;

namespace Fireline.Tests.Linux;

public sealed class NftablesExceptionTests
{
    [Fact]
    public void Keeps_errno_when_the_error_text_quotes_it()
    {
        const string Text = "Error: Could not process rule: No such file or directory\ndelete table inet nosuch\n                  ^^^^^^\n";
        var error = NftablesException.FromRun((int)Errno.ENOENT, "nft delete table inet nosuch", Text);

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Equal(KernelObjectKind.Nftables, error.Kind);
        Assert.Equal(Text, error.KernelMessage);
        Assert.StartsWith("nft delete table inet nosuch: No such file or directory (ENOENT): Error: Could not process rule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drops_a_stale_errno_the_text_does_not_mention()
    {
        const string Text = "Error: syntax error, unexpected newline, expecting string\nadd foo\n       ^\n";
        var error = NftablesException.FromRun((int)Errno.EAGAIN, "nft add foo", Text);

        Assert.Equal(0, error.ErrorNumber);
        Assert.Equal("nft add foo: " + Text.Trim(), error.Message);
    }
}
