using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fireline.Linux.Netlink;

/// <summary>One received netlink message: its header fields and the payload after nlmsghdr.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ReadOnlySpan<byte> message)
    {
        Type = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
        Flags = (NetlinkFlags)BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        Sequence = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
        Payload = message[NetlinkConstants.HeaderSize..];
    }

    public ushort Type { get; }

    public NetlinkFlags Flags { get; }

    public uint Sequence { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The family header at the start of the payload.</summary>
    public T Header<T>() where T : unmanaged => MemoryMarshal.Read<T>(Payload);

    /// <summary>The attributes after a family header of type <typeparamref name="T"/>.</summary>
    public AttributeReader Attributes<T>() where T : unmanaged
    {
        var skip = NetlinkConstants.Align(Unsafe.SizeOf<T>());
        return new AttributeReader(Payload.Length > skip ? Payload[skip..] : []);
    }
}
