using System.Net;
using Fireline.Linux.Nftables;
using Fireline.Linux.Nftables.Clauses;
using Fireline.Policy;

namespace Fireline.Firewall;

/// <summary>A port forward's element of <see cref="FirewallTables.PortForwards"/>: protocol . host port → VM address . VM port.</summary>
internal static class ForwardElement
{
    /// <summary>The element with its value, to add.</summary>
    public static NftElement Of(PortForward forward)
    {
        var address = forward.VmAddress ?? throw new ArgumentException($"the forward of host port {forward.HostPort} names no VM address", nameof(forward));
        return Key(forward) with { Data = NftData.Concat(NftData.Address(IPAddress.Parse(address)), NftData.Port((ushort)forward.VmPort)) };
    }

    /// <summary>The element by its key alone, to delete.</summary>
    public static NftElement Key(PortForward forward)
    {
        byte protocol = forward.Protocol == ForwardProtocol.Udp ? ProtocolMatch.Udp : ProtocolMatch.Tcp;
        return new NftElement(NftData.Concat([protocol], NftData.Port((ushort)forward.HostPort)));
    }
}
