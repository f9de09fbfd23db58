using System.Globalization;
using System.Text;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.TestSupport;

namespace Fireline.Benchmarks;

/// <summary>
/// The design document's firewall (its <c>ApplyNetworkPolicy</c>, section 8) in a private scratch namespace
/// <c>PREFIX-ipt</c>: per VM a chain <c>VM_x</c> with one rule per policy rule, and two jumps inserted at the top of
/// FORWARD, one <c>iptables</c> process per command, as the document runs them. VM i has address 10.110.0.0 + i + 2
/// and, like the benchmark's networks, the first example tenant's policy when i is even (allow tcp 80 and 443,
/// deny the rest: 6 processes) and the second's when odd (allow ssh from one network: 4 processes).
/// Every process is started from a thread inside the scratch namespace, and checked to be there: never the
/// machine's own.
/// </summary>
public sealed class IptablesPeer
{
    private const string Iptables = "iptables";
    private const string IptablesRestore = "iptables-restore";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _prefix;

    /// <summary>Makes the scratch namespace; the test host that owns <paramref name="prefix"/> removes it.</summary>
    public IptablesPeer(string prefix)
    {
        _prefix = prefix;
        Ip.Run("netns", "add", Scratch);
    }

    /// <summary>The namespace holding the rules; <c>PREFIX-ipt</c>.</summary>
    public string Scratch => _prefix + "-ipt";

    /// <summary>How many VMs' rules the bulk load put in.</summary>
    public int Loaded { get; private set; }

    public static string Address(int vm) => Ipv4(0x0A6E0000u + (uint)vm + 2);

    public static string ChainName(int vm) => string.Create(CultureInfo.InvariantCulture, $"VM_{vm:x8}");

    /// <summary>
    /// The document's commands for VM <paramref name="vm"/>, each the arguments of one <c>iptables</c> process:
    /// <c>-N</c>, the policy's <c>-A</c> rules, then the two FORWARD jumps.
    /// </summary>
    public static IReadOnlyList<string[]> PolicyCommands(int vm)
    {
        var (chain, ip) = (ChainName(vm), Address(vm));
        // The document builds "-d IP [-p P] [--dport N] [-s SOURCE] -j ACTION" from each rule; allow/deny are the
        // targets ACCEPT/DROP (its literal "allow" is no iptables target).
        string[][] rules = vm % 2 == 0
            ?
            [
                ["-d", ip, "-p", "tcp", "--dport", "80", "-s", "0.0.0.0/0", "-j", "ACCEPT"],
                ["-d", ip, "-p", "tcp", "--dport", "443", "-s", "0.0.0.0/0", "-j", "ACCEPT"],
                ["-d", ip, "-s", "0.0.0.0/0", "-j", "DROP"],
            ]
            : [["-d", ip, "-p", "tcp", "--dport", "22", "-s", "203.0.113.0/24", "-j", "ACCEPT"]];
        return
        [
            ["-t", "filter", "-N", chain],
            .. rules.Select(rule => (string[])["-t", "filter", "-A", chain, .. rule]),
            ["-t", "filter", "-I", "FORWARD", "-d", ip, "-j", chain],
            ["-t", "filter", "-I", "FORWARD", "-s", ip, "-j", chain],
        ];
    }

    /// <summary>
    /// Replaces the filter table with <paramref name="vms"/> VMs' chains and jumps, in the order the document would
    /// have inserted them, with one <c>iptables-restore</c> (the timed figures are single commands; the bulk only
    /// sets the stage). Returns how long the restore took, in milliseconds.
    /// </summary>
    public double Load(int vms)
    {
        var text = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
        for (var vm = 0; vm < vms; vm++)
        {
            text.Append(CultureInfo.InvariantCulture, $":{ChainName(vm)} - [0:0]\n");
        }

        for (var vm = 0; vm < vms; vm++)
        {
            foreach (var command in PolicyCommands(vm).Skip(1))
            {
                text.AppendJoin(' ', command.Skip(2)).Append('\n');
            }
        }

        text.Append("COMMIT\n");
        var elapsed = Measure.Time(() => Restore(text.ToString(), noflush: false));
        Loaded = vms;
        return elapsed;
    }

    /// <summary>
    /// Applies VM <paramref name="vm"/>'s policy as the document does, one process per command; returns the
    /// milliseconds from the first process's start to the last one's exit.
    /// </summary>
    public double ApplyVm(int vm)
    {
        var commands = PolicyCommands(vm);
        return Inside(() => Measure.Time(() =>
        {
            foreach (var command in commands)
            {
                Run(Iptables, command);
            }
        }));
    }

    /// <summary>Takes VM <paramref name="vm"/>'s chain and jumps out again (untimed, one restore).</summary>
    public void RemoveVm(int vm)
    {
        var (chain, ip) = (ChainName(vm), Address(vm));
        Restore($"*filter\n-D FORWARD -d {ip}/32 -j {chain}\n-D FORWARD -s {ip}/32 -j {chain}\n-F {chain}\n-X {chain}\nCOMMIT\n", noflush: true);
    }

    /// <summary>One more rule at the top of FORWARD, one process; returns its milliseconds.</summary>
    public double InsertRule(int vm) => Inside(() => Measure.Time(() => Run(Iptables, ["-t", "filter", "-I", "FORWARD", "-d", Address(vm), "-j", "ACCEPT"])));

    /// <summary>Removes the rule <see cref="InsertRule"/> put at the top of FORWARD.</summary>
    public void DeleteFirstRule() => Inside(() => Run(Iptables, ["-t", "filter", "-D", "FORWARD", "1"]));

    /// <summary>An empty filter table (every VM's chain gone).</summary>
    public void Clear()
    {
        Restore("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", noflush: false);
        Loaded = 0;
    }

    /// <summary>
    /// Makes the scratch namespace a router between two more namespaces, <c>PREFIX-ips</c> (address
    /// <see cref="Address"/>(1), a VM with the second policy: the first one's DROP would drop the replies, the
    /// document's rules being stateless) and <c>PREFIX-ipd</c> (10.111.0.2), so traffic between them crosses FORWARD.
    /// Returns the sender's namespace and the receiver's namespace and address.
    /// </summary>
    public (string Sender, string Receiver, string ReceiverAddress) Route()
    {
        var (sender, receiver) = (_prefix + "-ips", _prefix + "-ipd");
        const string ReceiverAddress = "10.111.0.2";
        Ip.Run("netns", "add", sender);
        Ip.Run("netns", "add", receiver);
        Ip.Run("-n", Scratch, "link", "add", "s0", "type", "veth", "peer", "name", "eth0", "netns", sender);
        Ip.Run("-n", Scratch, "link", "add", "d0", "type", "veth", "peer", "name", "eth0", "netns", receiver);
        Ip.Run("-n", Scratch, "addr", "add", "10.110.0.1/16", "dev", "s0");
        Ip.Run("-n", Scratch, "addr", "add", "10.111.0.1/24", "dev", "d0");
        Ip.Run("-n", sender, "addr", "add", Address(1) + "/16", "dev", "eth0");
        Ip.Run("-n", receiver, "addr", "add", ReceiverAddress + "/24", "dev", "eth0");
        foreach (var (ns, link) in new[] { (Scratch, "s0"), (Scratch, "d0"), (sender, "eth0"), (receiver, "eth0"), (sender, "lo"), (receiver, "lo") })
        {
            Ip.Run("-n", ns, "link", "set", link, "up");
        }

        Ip.Run("-n", sender, "route", "add", "default", "via", "10.110.0.1");
        Ip.Run("-n", receiver, "route", "add", "default", "via", "10.111.0.1");
        Inside(static () => Sysctl.Write("net.ipv4.ip_forward", "1"));
        return (sender, receiver, ReceiverAddress);
    }

    private void Restore(string rules, bool noflush)
        => Inside(() => Run(IptablesRestore, noflush ? ["--noflush"] : [], rules));

    private static void Run(string program, string[] arguments, string? input = null)
    {
        var result = Tool.TryRun(program, arguments, Timeout, input);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardError.Trim()}");
        }
    }

    private void Inside(Action work) => Inside(() =>
    {
        work();
        return 0;
    });

    /// <summary>
    /// Runs <paramref name="work"/> on a thread inside the scratch namespace: the processes it starts are forked from
    /// that thread and so live there. Refuses to run when the thread is in the process's own namespace.
    /// </summary>
    private T Inside<T>(Func<T> work)
    {
        using var ns = NetworkNamespace.Open(Scratch);
        return ns.Run(() =>
        {
            if (new FileInfo("/proc/thread-self/ns/net").LinkTarget == new FileInfo("/proc/self/ns/net").LinkTarget)
            {
                throw new InvalidOperationException($"not inside {Scratch}: refusing to run iptables in the process's own namespace");
            }

            return work();
        });
    }

    private static string Ipv4(uint address)
        => string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");
}
