using System.Globalization;
using System.Net;
using System.Text;
using Fireline.Firewall;
using Fireline.Kernel;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Nftables;
using Fireline.Ownership;
using Fireline.State;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.Benchmarks;

/// <summary>
/// One size of the firewall benchmark: a private engine host holding that many VMs spread round-robin over the
/// benchmark's networks (each a /22, 1,021 VMs at most: a bridge takes 1,023), the iptables peer's scratch namespace
/// loaded with as many VMs' rules, and a <see cref="HostFirewall"/> of its own on the host namespace:
/// what the engine builds (<c>new HostFirewall(kernel, store)</c>), so its <c>AddVm</c>/<c>RemoveVm</c> can be timed alone.
/// </summary>
public sealed class FirewallHost : IDisposable
{
    private readonly HostKernel _kernel;
    private readonly SqliteStateStore _store;

    private FirewallHost(int size, EngineHost env)
    {
        Size = size;
        Env = env;
        Peer = new IptablesPeer(env.Host.Prefix);
        _store = new SqliteStateStore(Path.Combine(env.StateDirectory, "fireline.db"));
        _kernel = new HostKernel(env.Host.HostNamespace, NetworkNamespace.DefaultRunDirectory);
        Firewall = new HostFirewall(_kernel, _store, InstanceMark.Load(_store));
    }

    public int Size { get; }

    public EngineHost Env { get; }

    public HostFirewall Firewall { get; }

    public IptablesPeer Peer { get; }

    /// <summary>The VM whose firewall elements are removed and added again, timed.</summary>
    public VmFirewallEntry Probe { get; private set; } = null!;

    /// <summary>A VM whose namespace sends iperf3 traffic (see <see cref="SendingVm"/>).</summary>
    public VmRecord Sender { get; private set; } = null!;

    /// <summary>
    /// The benchmark's networks as <c>network apply</c> takes them: <c>fw0</c>, <c>fw1</c>, ... on 10.120.0.0/22,
    /// 10.120.4.0/22, ..., with the policies of examples/tenants.yaml's two tenants in turn. With
    /// <paramref name="extraRule"/>, <c>fw0</c> has one more ingress rule (before its deny-all-else).
    /// </summary>
    public static string NetworksYaml(int networks, bool extraRule = false, int pool = 0)
    {
        var text = new StringBuilder("networks:\n");
        for (var n = 0; n < networks; n++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - name: {Network(n)}\n    subnet: 10.120.{4 * n}.0/22\n");
            if (n == 0 && pool > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"    pool: {pool}\n");
            }

            text.Append("    policies:\n");
            if (n % 2 == 0)
            {
                Rule(text, "allow-http", "tcp", 80, "0.0.0.0/0", "allow");
                Rule(text, "allow-https", "tcp", 443, "0.0.0.0/0", "allow");
                if (extraRule && n == 0)
                {
                    Rule(text, "allow-8080", "tcp", 8080, "0.0.0.0/0", "allow");
                }

                Rule(text, "deny-all-else", null, null, "0.0.0.0/0", "deny");
            }
            else
            {
                Rule(text, "allow-ssh-from-office", "tcp", 22, "203.0.113.0/24", "allow");
            }
        }

        return text.ToString();
    }

    public static string Network(int n) => string.Create(CultureInfo.InvariantCulture, $"fw{n}");

    /// <summary>
    /// A host initialized with <paramref name="networks"/> networks and filled with <paramref name="size"/> VMs
    /// (and the probe and the sender, both on fw0), through the engine, each with the rules of its own
    /// <paramref name="policies"/> gives it (none by default); the peer's scratch namespace loaded with
    /// <paramref name="size"/> VMs' rules.
    /// </summary>
    public static FirewallHost Open(int size, int networks, CancellationToken stop, Func<int, IReadOnlyList<Policy.PolicyRule>?>? policies = null)
    {
        var env = EngineHosts.Open();
        FirewallHost? host = null;
        try
        {
            host = new FirewallHost(size, env);
            env.Engine.ApplyNetworks(NetworksYaml(networks), dryRun: false, prune: false);
            EngineHosts.Fill(env, Enumerable.Range(0, size).Select(i => new VmCreateRequest
            {
                VmId = env.Host.VmId($"f{i}"),
                Network = Network(i % networks),
                Policies = policies?.Invoke(i),
            }), stop);
            var probe = env.Engine.CreateVm(new VmCreateRequest { VmId = env.Host.VmId("probe"), Network = Network(0) });
            host.Probe = Entry(probe);
            host.Sender = env.Engine.CreateVm(new VmCreateRequest { VmId = env.Host.VmId("sender"), Network = Network(0) });
            var loaded = host.Peer.Load(size);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"firewall: {size} VMs on {networks} networks; iptables peer loaded with {size} VMs' rules in {loaded:F0} ms (one iptables-restore)"));
            return host;
        }
        catch
        {
            if (host is null)
            {
                env.Dispose();
            }
            else
            {
                host.Dispose();
            }

            throw;
        }
    }

    /// <summary>Only the sender's elements in the anti-spoofing sets, in one transaction: no other VM's state.</summary>
    public void KeepOnlySender()
    {
        var batch = new NftBatch();
        foreach (var set in FirewallTables.BridgeSets)
        {
            batch.FlushSet(set);
        }

        foreach (var (set, elements) in Entry(Sender).Elements)
        {
            batch.AddElements(set, elements);
        }

        _kernel.Nft(nft => nft.Apply(batch));
    }

    /// <summary>Every VM's elements back, from the state (what reconcile does).</summary>
    public void RestoreElements() => Firewall.SyncElements();

    /// <summary>How many VMs the anti-spoofing address set holds now.</summary>
    public int Elements => Firewall.VmIpv4Elements().Count;

    private static VmFirewallEntry Entry(VmRecord vm) => new(vm.HostVeth, MacAddress.Parse(vm.GuestMac), IPAddress.Parse(vm.Ipv4.Address));

    /// <summary>Deletes every VM through the engine, then removes the test host with the peer's namespaces.</summary>
    public void Dispose()
    {
        try
        {
            EngineHosts.Empty(Env, [.. Env.Engine.ListVms().Select(vm => vm.VmId)]);
        }
        finally
        {
            _kernel.Dispose();
            _store.Dispose();
            Env.Dispose();
        }
    }

    private static void Rule(StringBuilder text, string name, string? protocol, int? port, string source, string action)
    {
        text.Append(CultureInfo.InvariantCulture, $"      - name: {name}\n        direction: ingress\n");
        if (protocol is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"        protocol: {protocol}\n        port: {port}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"        source: {source}\n        action: {action}\n");
    }
}
