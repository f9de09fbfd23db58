using System.Globalization;

namespace Fireline.TestSupport;

/// <summary>
/// The steps of the guest's probe language (guest/README.md), as the text the guest reads from
/// <c>fireline.probe=</c> or from its console. Each step is answered by one PROBE line named by that text, so a
/// test finds a result by the same string it sent.
/// </summary>
public static class Probe
{
    /// <summary>Joins steps into one probe: they run in order.</summary>
    public static string Steps(params string[] steps) => string.Join(',', steps);

    /// <summary>OK as soon as one ping is answered, FAIL after <paramref name="seconds"/> without an answer.</summary>
    public static string Ping(string address, int seconds = 10) => Step("ping", address, seconds);

    /// <summary>An IPv6 ping; the probe language splits on ':', so the address travels with '-' instead.</summary>
    public static string Ping6(string address, int seconds = 10) => Step("ping6", address.Replace(':', '-'), seconds);

    /// <summary>A TCP connection to address:port, tried once a second; the detail is the first line the server sent.</summary>
    public static string Tcp(string address, int port, int seconds = 10) => Step("tcp", address, port, seconds);

    /// <summary>A UDP datagram "fireline &lt;guest address&gt;" sent once a second until echoed; the detail is the echo.</summary>
    public static string Udp(string address, int port, int seconds = 10) => Step("udp", address, port, seconds);

    /// <summary>A TCP server in the background that answers each connection with "fireline &lt;guest address&gt;".</summary>
    public static string ListenTcp(int port) => Step("listen-tcp", port);

    /// <summary>A TCP server in the background that reads each connection to its end and prints "RECV tcp:PORT N bytes".</summary>
    public static string SinkTcp(int port) => Step("sink-tcp", port);

    /// <summary>A UDP echo server in the background that prints "RECV udp:PORT SOURCE:SPORT TEXT" for each datagram.</summary>
    public static string ListenUdp(int port) => Step("listen-udp", port);

    /// <summary>
    /// Sends zeros over one TCP connection for <paramref name="seconds"/> (an iperf3-like sender); the detail is
    /// <c>ms=</c> the time it took. The receiver (a <see cref="SinkTcp"/> guest) counts the bytes.
    /// </summary>
    public static string SendTcp(string address, int port, int seconds) => Step("send-tcp", address, port, seconds);

    /// <summary>A ping to <paramref name="address"/> from <paramref name="source"/>, an address not the guest's: OK when answered.</summary>
    public static string SpoofIp(string source, string address) => Step("spoof-ip", source, address);

    /// <summary>A ping to <paramref name="address"/> from <paramref name="mac"/>, a MAC not the guest's: OK when answered.</summary>
    public static string SpoofMac(string mac, string address) => Step("spoof-mac", mac, address);

    public static string Sleep(int seconds) => Step("sleep", seconds);

    /// <summary>Keeps the guest running after its steps, reading further batches from its console.</summary>
    public const string Serve = "serve";

    private static string Step(string verb, params object[] arguments)
        => string.Join(':', [verb, .. arguments.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture))]);
}
