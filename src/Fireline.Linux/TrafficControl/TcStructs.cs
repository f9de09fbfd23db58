using System.Runtime.InteropServices;
using Fireline.Linux.Netlink;

namespace Fireline.Linux.TrafficControl;

/// <summary>struct tc_ratespec (linux/pkt_sched.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcRateSpec
{
    public byte CellLog;
    public byte LinkLayer;
    public ushort Overhead;
    public short CellAlign;
    public ushort Mpu;
    public uint Rate;

    /// <summary>TC_LINKLAYER_ETHERNET: tells the kernel to compute transmit times itself, without a rate table.</summary>
    private const byte LinkLayerEthernet = 1;

    /// <summary>
    /// A rate in bytes per second. Rates of 2^32 B/s and more do not fit: the field then holds ~0 and the
    /// caller adds the qdisc's 64-bit rate attribute (<see cref="NeedsRate64"/>), as tc does.
    /// </summary>
    public static TcRateSpec ForRate(ulong bytesPerSecond)
        => new() { LinkLayer = LinkLayerEthernet, Rate = NeedsRate64(bytesPerSecond) ? uint.MaxValue : (uint)bytesPerSecond };

    public static bool NeedsRate64(ulong bytesPerSecond) => bytesPerSecond > uint.MaxValue;

    /// <summary>
    /// The time to send <paramref name="bytes"/> at the rate, in the kernel's scheduler ticks (PSCHED_NS2TICKS:
    /// 64 ns each), rounded up; what tc_calc_xmittime computes for buffer fields.
    /// </summary>
    public static uint TransmitTicks(ulong bytes, ulong bytesPerSecond)
    {
        var divisor = (UInt128)bytesPerSecond * 64;
        var ticks = ((UInt128)bytes * 1_000_000_000 + divisor - 1) / divisor;
        return ticks > uint.MaxValue ? uint.MaxValue : (uint)ticks;
    }
}

/// <summary>struct tc_tbf_qopt.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcTbfQopt
{
    public TcRateSpec Rate;
    public TcRateSpec PeakRate;
    public uint Limit;
    public uint Buffer;
    public uint Mtu;
}

/// <summary>struct tc_htb_glob.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcHtbGlob
{
    public uint Version;
    public uint RateToQuantum;
    public uint DefaultClass;
    public uint Debug;
    public uint DirectPackets;
}

/// <summary>struct tc_htb_opt.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcHtbOpt
{
    public TcRateSpec Rate;
    public TcRateSpec Ceil;
    public uint Buffer;
    public uint CeilBuffer;
    public uint Quantum;
    public uint Level;
    public uint Priority;
}

/// <summary>struct tc_u32_sel followed by one struct tc_u32_key.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcU32SelectorOneKey
{
    public byte Flags;
    public byte OffsetShift;
    public byte KeyCount;
    public ushort OffsetMask;
    public ushort Offset;
    public short OffsetOffset;
    public short HashOffset;
    public uint HashMask;
    public uint KeyMask;
    public uint KeyValue;
    public int KeyOffset;
    public int KeyOffsetMask;
}

/// <summary>struct tc_mirred (tc_gen followed by eaction and ifindex).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TcMirred
{
    public uint Index;
    public uint Capabilities;
    public int Action;
    public int ReferenceCount;
    public int BindCount;
    public int ExtendedAction;
    public int InterfaceIndex;
}

/// <summary>Writes a fixed kernel struct as one attribute's value.</summary>
internal static class TcStruct
{
    public static NetlinkRequest Write<T>(NetlinkRequest request, ushort type, in T value) where T : unmanaged
        => request.Attribute(type, MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in value, 1)));
}
