using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fireline.Linux;
using Fireline.Linux.Interop;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Nftables;
using Fireline.TestSupport;
using Xunit.Abstractions;

namespace Fireline.IntegrationTests.Linux;

[Trait("Category", Categories.Integration)]
public sealed class NftContextTests : IDisposable
{
    private const string Setup = """
        add table inet fireline
        add chain inet fireline forwarding { type filter hook forward priority 0; policy accept; }
        add set inet fireline vms { type ipv4_addr; }
        """;

    private readonly TestHost _host = new();
    private readonly NftContext _nft;
    private readonly ITestOutputHelper _output;

    public NftContextTests(ITestOutputHelper output)
    {
        _output = output;
        _nft = NftContext.Open(_host.HostNamespace);
    }

    [Fact]
    public void Creates_a_table_chain_and_set_and_adds_and_deletes_elements_in_the_test_host()
    {
        var rootBefore = Tool.Run("nft", "-j", "list", "ruleset");

        Assert.Equal("", _nft.Run(Setup));
        _nft.Run("add element inet fireline vms { 10.0.0.1, 10.0.0.2, 10.0.0.3 }");
        _nft.Run("delete element inet fireline vms { 10.0.0.1 }");

        Assert.Equal(["10.0.0.2", "10.0.0.3"], Nft.SetElements(_host.HostNamespaceName, "inet", "fireline", "vms").Order());
        var chain = Assert.Single(Nft.Objects(_host.HostNamespaceName, "chain"));
        Assert.Equal("forwarding", chain.GetProperty("name").GetString());
        Assert.Equal("forward", chain.GetProperty("hook").GetString());

        using var listed = _nft.ListJson("list table inet fireline");
        var items = listed.RootElement.GetProperty("nftables").EnumerateArray().ToList();
        Assert.Contains(items, i => i.TryGetProperty("table", out var t) && t.GetProperty("name").GetString() == "fireline");
        var set = items.Single(i => i.TryGetProperty("set", out _)).GetProperty("set");
        Assert.Equal(["10.0.0.2", "10.0.0.3"], set.GetProperty("elem").EnumerateArray().Select(e => e.GetString()!).Order());

        Assert.Equal(rootBefore, Tool.Run("nft", "-j", "list", "ruleset"));
    }

    [Fact]
    public void Run_returns_what_a_listing_prints()
    {
        _nft.Run(Setup);

        var text = _nft.Run("list set inet fireline vms");

        Assert.Contains("set vms {", text, StringComparison.Ordinal);
        Assert.Contains("type ipv4_addr", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_in_the_last_command_applies_nothing_and_carries_the_text()
    {
        var error = Assert.Throws<NftablesException>(() => _nft.Run(Setup + "\nadd rule inet fireline forwarding ip saddr @vms acept\n"));

        Assert.Equal(KernelObjectKind.Nftables, error.Kind);
        Assert.Equal(0, error.ErrorNumber);
        Assert.Contains("syntax error", error.KernelMessage, StringComparison.Ordinal);
        Assert.Contains("unexpected newline", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("nft -f - (add table inet fireline ...)", error.Message, StringComparison.Ordinal);
        Assert.Empty(Nft.Ruleset(_host.HostNamespaceName));
    }

    [Fact]
    public void A_kernel_refusal_of_the_last_command_rolls_back_the_whole_buffer_with_its_errno()
    {
        var error = Assert.Throws<NftablesException>(() => _nft.Run(Setup + "\ndelete table inet nosuch\n"));

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Contains("No such file or directory", error.KernelMessage, StringComparison.Ordinal);
        Assert.Empty(Nft.Ruleset(_host.HostNamespaceName));

        // The context stays usable after a failure, with clean buffers.
        Assert.Equal("", _nft.Run(Setup));
        Assert.Single(Nft.Objects(_host.HostNamespaceName, "table"));
    }

    /// <summary>
    /// The namespace guarantee, including the part libnftables does per command on the calling thread:
    /// resolving interface names. In the test host, ifindex 2 is uplink0; in the other namespace, ifindex 2 is
    /// onlyhere0. Called from a thread inside the other namespace, the context must still resolve in the host.
    /// </summary>
    [Fact]
    public void Every_command_acts_on_the_context_namespace_whichever_thread_calls()
    {
        var otherName = "vm-" + _host.VmId("other");
        using var other = NetworkNamespace.Create(otherName);
        Ip.Run("-n", otherName, "link", "add", "onlyhere0", "type", "bridge");

        other.Run(() => _nft.Run(Setup + "\nadd rule inet fireline forwarding iif \"uplink0\" accept\n"));
        var error = Assert.Throws<NftablesException>(() => other.Run(() => _nft.Run("add rule inet fireline forwarding iif \"onlyhere0\" accept")));

        Assert.Contains("Interface does not exist", error.KernelMessage, StringComparison.Ordinal);
        var rule = Assert.Single(Nft.Objects(_host.HostNamespaceName, "rule"));
        Assert.Contains("uplink0", rule.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(Nft.Ruleset(otherName));
    }

    /// <summary>
    /// What <see cref="NftContext"/>'s design rests on, observed on the raw library: a context made on a thread
    /// in the host namespace, used from a thread in another one, sends its changes to the host (socket opened in
    /// nft_ctx_new) but resolves interface names in the caller's namespace. If this fails, libnftables changed:
    /// update the comment on NftContext.
    /// </summary>
    [Fact]
    public void Libnftables_binds_its_socket_at_creation_but_resolves_interfaces_on_the_calling_thread()
    {
        var otherName = "vm-" + _host.VmId("raw");
        using var other = NetworkNamespace.Create(otherName);
        Ip.Run("-n", otherName, "link", "add", "onlyhere0", "type", "bridge");
        int result;
        lock (LibNftables.Gate)
        {
            using var raw = _host.HostNamespace.Run(() => LibNftables.CtxNew(LibNftables.NFT_CTX_DEFAULT));
            Assert.Equal(0, LibNftables.BufferOutput(raw) | LibNftables.BufferError(raw));
            result = other.Run(() => LibNftables.RunCmdFromBuffer(raw, Setup + "\nadd rule inet fireline forwarding iif \"onlyhere0\" accept\n"));
        }

        Assert.Equal(0, result);
        Assert.Empty(Nft.Ruleset(otherName));
        // onlyhere0 is ifindex 2 over there; in the host, ifindex 2 is the uplink, which is what the rule now names.
        var rule = Assert.Single(Nft.Objects(_host.HostNamespaceName, "rule"));
        Assert.Contains(TestHost.UplinkName, rule.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The cost of one element change through a context kept open versus one opened for it, with 4,000 elements
    /// already in the set: medians of interleaved rounds (so load changes hit both alike), reported in the test
    /// output and not asserted, since timings follow the machine's load.
    /// </summary>
    [Fact]
    public void Measures_one_element_add_through_a_reused_and_a_new_context()
    {
        const int Rounds = 500;
        _nft.Run(Setup);
        var load = new StringBuilder("add element inet fireline vms { ");
        load.AppendJoin(", ", Enumerable.Range(0, 4000).Select(i => $"10.1.{i / 256}.{i % 256}"));
        _nft.Run(load.Append(" }").ToString());
        _nft.Run("add element inet fireline vms { 10.0.0.1 }"); // warm-up: JIT, libnftables' first cache fill

        var reused = new List<double>();
        var fresh = new List<double>();
        var hop = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            var element = $"{i / 256}.{i % 256}";
            reused.Add(Time(() => _nft.Run($"add element inet fireline vms {{ 10.2.{element} }}")));
            fresh.Add(Time(() =>
            {
                using var context = NftContext.Open(_host.HostNamespace);
                context.Run($"add element inet fireline vms {{ 10.3.{element} }}");
            }));
            hop.Add(Time(() => _host.HostNamespace.Run(() => { })));
        }

        var cli = Enumerable.Range(0, 20).Select(i => Time(() => _host.InHost("nft", "add", "element", "inet", "fireline", "vms", $"{{ 10.4.0.{i} }}"))).ToList();

        // libnftables 1.0.6 refills its cache with the elements of every interval set before each element
        // change, so one such set anywhere in the namespace slows changes to all sets.
        _nft.Run("add set inet fireline cidrs { type ipv4_addr; flags interval; }");
        _nft.Run(load.Replace("vms", "cidrs").ToString());
        var beside = Enumerable.Range(0, 100).Select(i => Time(() => _nft.Run($"add element inet fireline vms {{ 10.5.0.{i} }}"))).ToList();
        var interval = Enumerable.Range(0, 100).Select(i => Time(() => _nft.Run($"add element inet fireline cidrs {{ 10.5.0.{i} }}"))).ToList();

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"add element, 4,000 loaded, median ms: reused context {Median(reused):F3}, new context {Median(fresh):F3}, namespace hop alone {Median(hop):F3}, nft CLI via nsenter {Median(cli):F1}"));
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"with a 4,000-element interval set beside it, reused context, median ms: plain set {Median(beside):F3}, the interval set {Median(interval):F3}"));
        Assert.Equal(4001 + (2 * Rounds) + 20 + 100, Nft.SetElements(_host.HostNamespaceName, "inet", "fireline", "vms").Count);
    }

    [Fact]
    public void Commands_from_many_threads_at_once_all_apply()
    {
        _nft.Run(Setup);

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => _nft.Run($"add element inet fireline vms {{ 10.0.1.{i} }}"));

        Assert.Equal(64, Nft.SetElements(_host.HostNamespaceName, "inet", "fireline", "vms").Count);
    }

    [Fact]
    public void A_disposed_context_refuses_commands()
    {
        var context = NftContext.Open(_host.HostNamespace);
        context.Dispose();

        Assert.Throws<ObjectDisposedException>(() => context.Run("list tables"));
    }

    private static double Time(Action work)
    {
        var start = Stopwatch.GetTimestamp();
        work();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    public void Dispose()
    {
        _nft.Dispose();
        _host.Dispose();
    }
}
