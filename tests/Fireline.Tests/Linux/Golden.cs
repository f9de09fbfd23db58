using Fireline.Linux.Netlink;

namespace Fireline.Tests.Linux;

/// <summary>
/// Compares built requests with bytes captured from iproute2 (<c>strace -f -e trace=sendmsg -xx -s 8192 ip ...</c>
/// in a throwaway namespace, nlmsg_seq and nlmsg_pid zeroed). Hex text, so a failure shows where they differ.
/// </summary>
internal static class Golden
{
    public static void Equal(string expected, NetlinkRequest request)
        => Assert.Equal(Normalize(expected), Convert.ToHexString(request.Bytes).ToLowerInvariant());

    private static string Normalize(string hex) => string.Concat(hex.Where(char.IsAsciiHexDigit)).ToLowerInvariant();
}
