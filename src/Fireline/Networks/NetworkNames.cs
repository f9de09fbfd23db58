using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fireline.Addressing;
using Fireline.Linux.Rtnetlink;

namespace Fireline.Networks;

/// <summary>Rules for network, bridge and policy names, and the bridge name derived from a network's.</summary>
public static class NetworkNames
{
    /// <summary>A network's name is part of nftables chain names and of its default bridge's name.</summary>
    public const int MaxLength = 32;

    /// <summary>IFNAMSIZ less its NUL.</summary>
    public const int MaxBridgeLength = LinkName.MaxBytes;

    /// <summary>
    /// A policy rule's name labels its rule (an nftables rule comment holds at most 128 bytes) and shows in plans
    /// and errors: 63 characters, a DNS label's length, say what a rule is for and stay readable on one line.
    /// </summary>
    public const int MaxPolicyLength = 63;

    /// <summary>
    /// Name starts Fireline keeps for its own objects: <c>fl</c> its host veths (reconcile removes unclaimed
    /// <c>fl</c> + hex links), <c>vm-</c> its VMs' namespaces. A bridge of a network may start with neither.
    /// </summary>
    public static readonly string[] ReservedPrefixes = ["fl", "vm-"];

    /// <summary>Network names: <see cref="SafeName"/>, 1-32 characters.</summary>
    public static bool IsValid(string name) => SafeName.IsValid(name, MaxLength);

    /// <summary>Bridge names: <see cref="SafeName"/>, 1-15 characters, not starting like Fireline's own links.</summary>
    public static bool IsValidBridge(string name) => SafeName.IsValid(name, MaxBridgeLength) && ReservedPrefix(name) is null;

    /// <summary>The reserved start the name has, or null.</summary>
    public static string? ReservedPrefix(string name) => ReservedPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>
    /// <c>br-NAME</c> when that fits in an interface name; otherwise <c>br-</c> + the name's start + a short
    /// hash of the whole name, so two long names never share a bridge.
    /// </summary>
    public static string DefaultBridge(string name)
    {
        var plain = "br-" + name;
        if (LinkName.IsValid(plain))
        {
            return plain;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return string.Create(CultureInfo.InvariantCulture, $"br-{name[..Math.Min(6, name.Length)]}-{hash[0]:x2}{hash[1]:x2}{hash[2] >> 4:x1}");
    }
}
