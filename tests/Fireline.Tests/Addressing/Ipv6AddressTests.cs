using System.Net;
using Fireline.Addressing;

namespace Fireline.Tests.Addressing;

public sealed class Ipv6AddressTests
{
    [Theory]
    [InlineData("fd00:101::", "fd00:101::")]
    [InlineData("FD00:0101:0000:0000:0000:0000:0000:0000", "fd00:101::")]
    [InlineData("2001:0db8::0001", "2001:db8::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")] // the first of two equal runs
    [InlineData("2001:db8:0:0:0:1:0:0", "2001:db8::1:0:0")]
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")] // one zero group is never "::" (RFC 5952)
    [InlineData("2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1")] // but RFC 4291 lets "::" stand for it
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("1::", "1::")]
    [InlineData("0:0:0:0:0:ffff:a01:203", "::ffff:a01:203")] // written without the dotted tail
    public void Reads_rfc_4291_text_and_writes_rfc_5952_text(string text, string canonical)
    {
        Assert.True(Ipv6Address.TryParse(text, out var address));
        Assert.Equal(canonical, Ipv6Address.Format(address));
        Assert.Equal(IPAddress.Parse(text), IPAddress.Parse(canonical));
    }

    [Theory]
    [InlineData("fe80::1%eth0")] // a zone id names a link of some host
    [InlineData("fe80::1%1")]
    [InlineData("::ffff:10.1.2.3")] // the dotted tail (RFC 4291 form 3)
    [InlineData("::10.1.2.3")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7::8")]
    [InlineData("1::2::3")]
    [InlineData("1:::2")]
    [InlineData(":::")]
    [InlineData(":1::")]
    [InlineData("1::2:")]
    [InlineData("12345::")]
    [InlineData("g::")]
    [InlineData("0x1::")]
    [InlineData("+1::")]
    [InlineData(" ::1")]
    [InlineData("[::1]")]
    [InlineData("::1/64")]
    [InlineData(":")]
    [InlineData("")]
    public void Refuses_zone_ids_dotted_tails_and_malformed_text(string text)
        => Assert.False(Ipv6Address.TryParse(text, out _));

    [Fact]
    public void Writes_what_it_reads_back_and_what_the_runtime_reads_as_the_same_address()
    {
        var random = new Random(4291);
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(bytes);
            // Runs of zero groups, which make the interesting texts, in a random half of the groups.
            for (var group = 0; group < 8; group++)
            {
                if (random.Next(2) == 0)
                {
                    bytes[2 * group] = bytes[(2 * group) + 1] = 0;
                }
            }

            var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
            var text = Ipv6Address.Format(value);
            Assert.True(Ipv6Address.TryParse(text, out var back), text);
            Assert.Equal(value, back);
            var runtime = new IPAddress(bytes);
            Assert.Equal(runtime, IPAddress.Parse(text));
            if (!runtime.IsIPv4MappedToIPv6 && value >> 32 != UInt128.Zero)
            {
                // The runtime writes RFC 5952 too, except for a dotted tail on IPv4-mapped and -compatible addresses.
                Assert.Equal(runtime.ToString(), text);
            }
        }
    }

    [Theory]
    [InlineData("2001:DB8::/32", "2001:db8::/32")]
    [InlineData("::/0", "::/0")]
    [InlineData("2001:db8::1/128", "2001:db8::1/128")]
    public void Networks_are_read_strictly_and_written_canonically(string text, string canonical)
    {
        Assert.True(Ipv6Network.TryParse(text, out var network, out _));
        Assert.Equal(canonical, network.ToString());
    }

    [Theory]
    [InlineData("2001:db8::/129", "prefix length")]
    [InlineData("2001:db8::/032", "prefix length")]
    [InlineData("2001:db8::", "not an IPv6 network")]
    [InlineData("2001:db8::1/32", "host bits")]
    [InlineData("fe80::%eth0/64", "not an IPv6 network")]
    public void Networks_with_bad_lengths_or_host_bits_are_refused(string text, string reason)
    {
        Assert.False(Ipv6Network.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
