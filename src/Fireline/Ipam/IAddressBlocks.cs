using Fireline.Addressing;

namespace Fireline.Ipam;

/// <summary>
/// Which parts of a network's subnet this host may hand out (cluster mode): the subnet is cut into aligned blocks,
/// each held by one node. Single-host mode has none of this: the whole subnet is the host's.
/// </summary>
public interface IAddressBlocks
{
    /// <summary>Addresses per block (a power of two): a network's subnet is cut at these boundaries.</summary>
    int BlockSize { get; }

    /// <summary>
    /// How long a released address rests before this host hands it out again, so that no other node still routes it
    /// to the VM that had it.
    /// </summary>
    TimeSpan Cooldown { get; }

    /// <summary>
    /// Whether this host holds the block <paramref name="address"/> lies in, claiming it first when no node holds it
    /// (at most one round trip to the cluster; none when the answer is known). False: another node holds it. Throws
    /// <c>cluster-unavailable</c> when the cluster must be asked and cannot be.
    /// </summary>
    bool Acquire(string network, Ipv4Network subnet, uint address);
}
