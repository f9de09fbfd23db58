using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Fireline.Addressing;

/// <summary>
/// A network cut into segments: each a bridge holding a fixed, aligned block of the subnet's addresses, so no bridge
/// holds more than <see cref="Size"/> ports, whatever the network holds. Segment 0 is the network's own bridge (with
/// the gateway address); a network whose subnet is no larger than one block is that bridge alone, as before segments.
/// The host joins segments at layer 3 (a route per block, proxy ARP). Derived from the subnet and the bridge's name,
/// never stored.
/// </summary>
public static class NetworkSegments
{
    /// <summary>
    /// Addresses per segment (a power of two). Measured here (bench/RESULTS.md): taking a port off a bridge and
    /// putting it back costs ~0.17 ms at 16 ports, ~0.25 ms at 256, ~0.41 ms at 512 and ~0.78 ms at 1,000 (the
    /// kernel walks every port to recompute promiscuity, features and MTU), so 256 keeps a VM's port within 1.5x of
    /// a near-empty bridge's, and a /16 in 256 segments.
    /// </summary>
    public const int Size = 256;

    /// <summary>Prefix length of one segment's block: 32 - log2(<see cref="Size"/>).</summary>
    public const int BlockLength = 24;

    /// <summary>
    /// The most segments a network has: the firewall lists each one's bridge, so their number is bounded. 65,536
    /// addresses, a whole /16; a larger subnet holds VMs in its first 65,536 addresses only.
    /// </summary>
    public const int MaxSegments = 256;

    /// <summary>Segment bridges' names start so: "fl" is reserved (no user bridge takes it), "flb" names no host veth.</summary>
    public const string BridgePrefix = "flb";

    /// <summary>How many segments the network has.</summary>
    public static int Count(Ipv4Network subnet) => (int)Math.Clamp(subnet.Size / Size, 1, MaxSegments);

    /// <summary>Which segment holds <paramref name="address"/> (an address of the subnet).</summary>
    public static int Of(Ipv4Network subnet, uint address) => Count(subnet) == 1 ? 0 : (int)((address - subnet.Network) / Size);

    /// <summary>The last address a VM of the network can get: the subnet's, or the last segment's last when the subnet has more.</summary>
    public static uint LastVmAddress(Ipv4Network subnet)
        => subnet.Size / Size > MaxSegments ? subnet.Network + ((uint)MaxSegments * Size) - 1 : subnet.LastVmAddress;

    /// <summary>How many VMs the network holds: the subnet's VM addresses, up to <see cref="MaxSegments"/> segments' worth.</summary>
    public static long VmCapacity(Ipv4Network subnet) => subnet.VmCapacity == 0 ? 0 : LastVmAddress(subnet) - subnet.FirstVmAddress + 1;

    /// <summary>The addresses segment <paramref name="segment"/> holds (the whole subnet for a one-segment network).</summary>
    public static IPNetwork Block(Ipv4Network subnet, int segment)
        => Count(subnet) == 1
            ? new IPNetwork(Ipv4Network.ToAddress(subnet.Network), subnet.PrefixLength)
            : new IPNetwork(Ipv4Network.ToAddress(subnet.Network + ((uint)segment * Size)), BlockLength);

    /// <summary>The same block in the network's IPv6 prefix (a VM's IPv6 address is the prefix with its IPv4 address as the last 32 bits).</summary>
    public static IPNetwork Block6(Ipv6Prefix prefix, Ipv4Network subnet, int segment)
    {
        var block = Block(subnet, segment);
        return new IPNetwork(prefix.VmAddress(Ipv4Network.ToUInt32(block.BaseAddress)), 128 - (32 - block.PrefixLength));
    }

    /// <summary>
    /// Segment <paramref name="segment"/>'s bridge: the network's own for 0; otherwise <see cref="Prefix"/> and the
    /// number, at most 13 characters (IFNAMSIZ holds 15).
    /// </summary>
    public static string Bridge(string bridge, int segment)
        => segment == 0 ? bridge : Prefix(bridge) + segment.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// What the names of a network's further segment bridges start with: "flb", 24 bits of a hash of the network's
    /// bridge name, "-". Another network's differ unless their hashes collide, which applying networks refuses.
    /// </summary>
    public static string Prefix(string bridge)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(bridge));
        return string.Create(CultureInfo.InvariantCulture, $"{BridgePrefix}{hash[0]:x2}{hash[1]:x2}{hash[2]:x2}-");
    }

    /// <summary>The bridges of segments 1 and up (none for a one-segment network).</summary>
    public static IEnumerable<string> FurtherBridges(string bridge, Ipv4Network subnet)
        => Enumerable.Range(1, Count(subnet) - 1).Select(segment => Bridge(bridge, segment));

    /// <summary>True for names <see cref="Bridge"/> makes for segments 1 and up, of any network.</summary>
    public static bool IsFurtherBridgeName(string name)
        => name.Length is > 10 and <= 13 && name.StartsWith(BridgePrefix, StringComparison.Ordinal) && name[9] == '-' &&
           !name.AsSpan(3, 6).ContainsAnyExcept("0123456789abcdef") && !name.AsSpan(10).ContainsAnyExcept("0123456789");
}
