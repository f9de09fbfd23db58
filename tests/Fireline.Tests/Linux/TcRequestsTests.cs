using Fireline.Linux.Netlink;
using Fireline.Linux.Rtnetlink;
using Fireline.Linux.TrafficControl;

namespace Fireline.Tests.Linux;

/// <summary>
/// tc messages byte for byte. Exact goldens were captured with <c>strace -f -e trace=sendmsg -xx tc -n NS ...</c>
/// (iproute2 6.1) in a throwaway namespace where eth0 = index 10, eth1 = 11, tap0 = 2; seq and pid are zeroed.
/// </summary>
public sealed class TcRequestsTests
{
    private static readonly Link Eth0 = new() { Index = 10, Name = "eth0" };
    private static readonly Link Eth1 = new() { Index = 11, Name = "eth1" };
    private static readonly Link Tap0 = new() { Index = 2, Name = "tap0" };

    // tc qdisc add dev eth0 ingress
    private const string IngressAdd =
        "30000000240005060000000000000000" + "000000000a0000000000fffff1ffffff00000000" + "0c000100696e677265737300";

    // tc filter add dev eth0 parent ffff: protocol all prio 1 handle 800::800 u32 match u32 0 0 action mirred egress redirect dev tap0
    private const string RedirectFilterAdd =
        "8c0000002c0005060000000000000000" +
        "000000000a000000000800800000ffff00030100" + // tcmsg: ifindex 10, handle 800::800, parent ffff:, prio 1 / ETH_P_ALL
        "0800010075333200" + // TCA_KIND "u32"
        "60000200" + // TCA_OPTIONS
        "38000700" + "34000100" + "0b0001006d69727265640000" + // TCA_U32_ACT { 1 { TCA_ACT_KIND "mirred"
        "24000280" + "20000200" + // TCA_ACT_OPTIONS { TCA_MIRRED_PARMS
        "0000000000000000040000000000000000000000" + "0100000002000000" + // tc_gen, action STOLEN; eaction EGRESS_REDIR, ifindex 2
        "24000500" + "01000100000000000000000000000000" + "00000000000000000000000000000000"; // TCA_U32_SEL: terminal, 1 key 0/0

    // tc filter replace dev eth0 parent ffff: protocol all prio 1 handle 800::800 u32 match u32 0 0 action mirred egress redirect dev tap0
    // The same message but for the flags: NLM_F_CREATE without NLM_F_EXCL.
    private const string RedirectFilterReplace =
        "8c0000002c0005040000000000000000" +
        "000000000a000000000800800000ffff00030100" + "0800010075333200" + "60000200" +
        "38000700" + "34000100" + "0b0001006d69727265640000" + "24000280" + "20000200" +
        "0000000000000000040000000000000000000000" + "0100000002000000" +
        "24000500" + "01000100000000000000000000000000" + "00000000000000000000000000000000";

    // tc qdisc add dev eth1 root handle 1: htb default 10
    private const string HtbAdd =
        "48000000240005060000000000000000" + "000000000b00000000000100ffffffff00000000" + "0800010068746200" +
        "1c000200" + "18000200" + "030000000a000000100000000000000000000000"; // TCA_HTB_INIT: version 3, r2q 10, default 0x10

    // tc filter del dev eth0 parent ffff: prio 1
    private const string FilterDelete =
        "240000002d0005000000000000000000" + "000000000a000000000000000000ffff00000100";

    [Fact]
    public void Ingress_qdisc_add_matches_tc()
        => AssertBytes(IngressAdd, TcRequests.AddQdisc(new NetlinkRequest(), Eth0, new Ingress()));

    [Fact]
    public void Redirect_filter_add_matches_tc()
        => AssertBytes(RedirectFilterAdd, TcRequests.AddRedirectFilter(new NetlinkRequest(), Eth0, Tap0));

    [Fact]
    public void Redirect_filter_replace_matches_tc()
        => AssertBytes(RedirectFilterReplace, TcRequests.AddRedirectFilter(new NetlinkRequest(), Eth0, Tap0, replace: true));

    [Fact]
    public void Htb_qdisc_add_matches_tc()
        => AssertBytes(HtbAdd, TcRequests.AddQdisc(new NetlinkRequest(), Eth1, new Htb(1, 0x10)));

    [Fact]
    public void Filter_delete_matches_tc()
        => AssertBytes(FilterDelete, TcRequests.DeleteFilter(new NetlinkRequest(), Eth0, 1));

    /// <summary>
    /// <c>tc qdisc add dev tap0 root tbf rate 10mbit burst 32kb latency 50ms</c>, hand-checked against the tc
    /// capture, from which it differs on purpose: no TCA_TBF_RTAB (1,024 bytes the kernel ignores when the
    /// ratespec says Ethernet), ratespec cell_log 0 and cell_align 0 (tc's 3 and -1 only describe that
    /// table), and buffer 409600 ticks = 26,214.4 us exactly, where tc 6.1 truncates to whole microseconds
    /// (409593). limit = 1,250,000 B/s x 50 ms + 32,768 = 95,268, as tc computes it.
    /// </summary>
    [Fact]
    public void Tbf_add_carries_rate_burst_and_limit_without_a_rate_table()
        => AssertBytes(
            "60000000240005060000000000000000" +
            "0000000002000000" + "00000000ffffffff00000000" + // tcmsg: ifindex 2, handle 0, parent root
            "0800010074626600" + // TCA_KIND "tbf"
            "34000200" + // TCA_OPTIONS
            "28000100" + // TCA_TBF_PARMS
            "0001000000000000d0121300" + // rate: linklayer ethernet, 1,250,000 B/s
            "000000000000000000000000" + // peakrate: none
            "24740100" + "00400600" + "00000000" + // limit 95268, buffer 409600, mtu 0
            "0800060000800000", // TCA_TBF_BURST 32768
            TcRequests.AddQdisc(new NetlinkRequest(), Tap0, new Tbf(1_250_000, 32 * 1024, TimeSpan.FromMilliseconds(50))));

    [Fact]
    public void Tbf_rates_beyond_32_bits_go_in_the_64_bit_attribute()
    {
        var request = TcRequests.AddQdisc(new NetlinkRequest(), Tap0, new Tbf(5_000_000_000, 65536, 1_000_000));
        var hex = Convert.ToHexStringLower(request.Bytes);

        Assert.Contains("0001000000000000ffffffff", hex, StringComparison.Ordinal); // ratespec: rate ~0
        Assert.Contains("0c000400" + "00f2052a01000000", hex, StringComparison.Ordinal); // TCA_TBF_RATE64 5e9
    }

    /// <summary>
    /// <c>tc class add dev eth1 parent 1: classid 1:10 htb rate 10mbit ceil 20mbit burst 15k cburst 1600</c>,
    /// hand-checked against the tc capture: the same tc_htb_opt (buffer 192000 and cbuffer 10000 ticks), without
    /// TCA_HTB_RTAB/CTAB and with cell_log/cell_align zero, for the reasons given for TBF.
    /// </summary>
    [Fact]
    public void Htb_class_add_carries_rates_and_buffers()
        => AssertBytes(
            "60000000280005060000000000000000" +
            "000000000b000000100001000000010000000000" + // tcmsg: ifindex 11, handle 1:10, parent 1:
            "0800010068746200" + "34000200" + "30000100" + // TCA_KIND "htb", TCA_OPTIONS { TCA_HTB_PARMS
            "0001000000000000d0121300" + // rate: linklayer ethernet, 1,250,000 B/s
            "0001000000000000a0252600" + // ceil: 2,500,000 B/s
            "00ee0200" + "10270000" + "000000000000000000000000", // buffer 192000, cbuffer 10000, quantum/level/prio 0
            TcRequests.AddClass(new NetlinkRequest(), Eth1,
                new HtbClass(new TcHandle(1, 0x10), 1_250_000, 15 * 1024) { CeilBytesPerSecond = 2_500_000, CeilBurstBytes = 1600 }));

    [Fact]
    public void Join_batches_both_redirects_and_both_link_ups_in_one_request()
    {
        var request = TcRequests.Join(new NetlinkRequest(), Eth0, Tap0);

        Assert.Equal(
            ["tc qdisc replace dev eth0 ingress",
             "tc filter replace dev eth0 parent ffff: protocol all prio 1 handle 800::800 u32 match u32 0 0 action mirred egress redirect dev tap0",
             "tc qdisc replace dev tap0 ingress",
             "tc filter replace dev tap0 parent ffff: protocol all prio 1 handle 800::800 u32 match u32 0 0 action mirred egress redirect dev eth0",
             "ip link set eth0 up",
             "ip link set tap0 up"],
            request.Messages.Select(m => m.Operation));
        Assert.All(request.Messages, m => Assert.True((m.Flags & NetlinkFlags.Ack) != 0));
    }

    [Fact]
    public void Join_with_an_alias_marks_both_links_after_the_join_in_the_same_request()
    {
        var plain = TcRequests.Join(new NetlinkRequest(), Eth0, Tap0);
        var marked = TcRequests.Join(new NetlinkRequest(), Eth0, Tap0, "fireline:abc");
        var aliases = LinkRequests.SetAlias(LinkRequests.SetAlias(new NetlinkRequest(), Eth0.Index, "eth0", "fireline:abc"), Tap0.Index, "tap0", "fireline:abc");

        Assert.Equal(
            [.. plain.Messages.Select(m => m.Operation), "ip link set eth0 alias fireline:abc", "ip link set tap0 alias fireline:abc"],
            marked.Messages.Select(m => m.Operation));
        Assert.Equal(Convert.ToHexString(plain.Bytes) + Convert.ToHexString(aliases.Bytes), Convert.ToHexString(marked.Bytes));
    }

    [Fact]
    public void A_redirect_filter_parses_back_with_its_target()
    {
        var request = TcRequests.AddRedirectFilter(new NetlinkRequest(), Eth0, Tap0, priority: 7);

        var filter = TcRequests.ParseFilter(new NetlinkMessage(request.Bytes));

        Assert.Equal("u32", filter.Kind);
        Assert.Equal(Eth0.Index, filter.InterfaceIndex);
        Assert.Equal(TcHandle.IngressQdisc, filter.Parent);
        Assert.Equal(7, filter.Priority);
        Assert.Equal(3, filter.Protocol);
        Assert.Equal(TcRequests.RedirectRuleHandle, filter.Handle);
        Assert.Equal(Tap0.Index, filter.RedirectIndex);
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, "root")]
    [InlineData(0xFFFFFFF1u, "ingress")]
    [InlineData(0xFFFF0000u, "ffff:")]
    [InlineData(0x00010010u, "1:10")]
    public void Handles_print_as_tc_writes_them(uint value, string text) => Assert.Equal(text, new TcHandle(value).ToString());

    [Fact]
    public void Rate_limits_refuse_values_the_kernel_would_turn_into_silent_drops()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tbf(1_000_000, 32768, limitBytes: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tbf(0, 32768, TimeSpan.FromMilliseconds(50)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tbf(1_000_000, 32768, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HtbClass(new TcHandle(1, 0x10), 1_000_000, 1600) { CeilBytesPerSecond = 10 });
    }

    private static void AssertBytes(string expectedHex, NetlinkRequest request)
        => Assert.Equal(expectedHex, Convert.ToHexStringLower(request.Bytes));
}
