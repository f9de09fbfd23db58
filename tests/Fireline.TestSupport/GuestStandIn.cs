using System.Diagnostics;
using System.Globalization;
using Fireline.Vms;

namespace Fireline.TestSupport;

/// <summary>
/// A namespace standing in for a guest VM, for tests that need traffic but not a booted kernel: its eth0 has
/// the VM record's MAC, address and gateway, and a small relay process (Python, AF_PACKET) attached to the
/// VM's TAP carries frames between that TAP and the stand-in, as a VMM's virtio-net device would.
/// </summary>
public sealed class GuestStandIn : IDisposable
{
    private const string Relay = """
        import fcntl, os, select, socket, struct, sys
        tap = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(tap, 0x400454ca, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
        wire = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        wire.bind((sys.argv[2], 0))
        print("ready", flush=True)
        while True:
            ready, _, _ = select.select([tap, wire], [], [])
            if tap in ready:
                wire.send(os.read(tap, 65536))
            if wire in ready:
                frame, address = wire.recvfrom(65536)
                if address[2] != socket.PACKET_OUTGOING:
                    os.write(tap, frame)
        """;

    private static int _counter;
    private readonly Process _relay;
    private readonly List<Process> _listeners = [];

    public GuestStandIn(TestHost host, VmRecord vm)
    {
        Namespace = string.Create(CultureInfo.InvariantCulture, $"{host.Prefix}-g{Interlocked.Increment(ref _counter)}");
        Ip.Run("netns", "add", Namespace);
        try
        {
            Ip.Run("-n", vm.Namespace, "link", "add", "gst0", "type", "veth", "peer", "name", "eth0", "netns", Namespace);
            Ip.Run("-n", vm.Namespace, "link", "set", "gst0", "up");
            Ip.Run("-n", Namespace, "link", "set", "eth0", "address", vm.GuestMac);
            Ip.Run("-n", Namespace, "addr", "add", $"{vm.Ipv4.Address}/{vm.Ipv4.PrefixLength}", "dev", "eth0");
            Ip.Run("-n", Namespace, "link", "set", "eth0", "up");
            // The relay copies frames as they are: offloads would hand it unchecksummed or oversized ones.
            Tool.Run("ip", "netns", "exec", Namespace, "ethtool", "-K", "eth0", "tx", "off", "tso", "off", "gso", "off");
            Ip.Run("-n", Namespace, "link", "set", "lo", "up");
            Ip.Run("-n", Namespace, "route", "add", "default", "via", vm.Ipv4.Gateway);
            if (vm.Ipv6 is { } ipv6)
            {
                Ip.Run("-n", Namespace, "-6", "addr", "add", $"{ipv6.Address}/{ipv6.PrefixLength}", "dev", "eth0", "nodad");
                Ip.Run("-n", Namespace, "-6", "route", "add", "default", "via", ipv6.Gateway);
            }
            var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var argument in new[] { $"--net={vm.NetnsPath}", "--", "python3", "-c", Relay, vm.TapDevice, "gst0" })
            {
                start.ArgumentList.Add(argument);
            }

            _relay = Process.Start(start) ?? throw new InvalidOperationException("cannot start the relay");
            if (_relay.StandardOutput.ReadLine() != "ready")
            {
                throw new InvalidOperationException("the relay did not attach to the TAP");
            }
        }
        catch
        {
            _ = Tool.TryRun("ip", "netns", "del", Namespace);
            throw;
        }
    }

    /// <summary>The stand-in's namespace name.</summary>
    public string Namespace { get; }

    /// <summary>Runs a program inside the stand-in, as a guest would.</summary>
    public Tool.Result Run(string program, params string[] arguments)
        => Tool.TryRun("nsenter", [$"--net=/var/run/netns/{Namespace}", "--", program, .. arguments], TimeSpan.FromSeconds(30));

    /// <summary>One ping (IPv4 or IPv6) with a short deadline; true when a reply came back.</summary>
    public bool Ping(string address) => Run("ping", "-c", "1", "-W", "2", address).ExitCode == 0;

    /// <summary>A TCP connection attempt with a short deadline; true when it was accepted.</summary>
    public bool CanConnect(string address, int port) => Probes.CanConnect(Namespace, address, port);

    /// <summary>Starts a TCP server on the port that accepts and closes every connection, until Dispose.</summary>
    public void Listen(int port) => _listeners.Add(Probes.Listen(Namespace, port));

    public void Dispose()
    {
        foreach (var listener in _listeners)
        {
            Probes.Stop(listener);
        }

        if (!_relay.HasExited)
        {
            _relay.Kill();
            _relay.WaitForExit();
        }

        // Used directly: Process.Dispose leaves them open.
        _relay.StandardInput.Dispose();
        _relay.StandardOutput.Dispose();
        _relay.Dispose();
        _ = Tool.TryRun("ip", "netns", "del", Namespace);
    }
}
