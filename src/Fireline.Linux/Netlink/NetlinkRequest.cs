using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Fireline.Linux.Netlink;

/// <summary>
/// Builds one or more netlink messages into one buffer, sent in a single send() and acknowledged together.
/// Sequence numbers and the port id stay zero here; the socket stamps them when it sends, so the bytes built
/// are the same on every run (golden tests compare them with what <c>strace ip ...</c> shows).
/// </summary>
internal sealed class NetlinkRequest
{
    private byte[] _buffer = new byte[512];
    private int _length;
    private int _messageStart = -1;
    private readonly List<Entry> _messages = [];

    /// <summary>What one message does, for errors: iproute2-style text, object kind and name.</summary>
    public readonly record struct Entry(int Offset, ushort Type, NetlinkFlags Flags, string Operation, KernelObjectKind Kind, string? ObjectName);

    public IReadOnlyList<Entry> Messages => _messages;

    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    internal Span<byte> MutableBytes => _buffer.AsSpan(0, _length);

    /// <summary>Starts a message. <paramref name="operation"/> names it in errors, e.g. "ip link add br0 type bridge".</summary>
    public NetlinkRequest Begin(ushort type, NetlinkFlags flags, string operation, KernelObjectKind kind, string? objectName)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("End the previous message first.");
        }

        _messageStart = _length;
        _messages.Add(new Entry(_length, type, flags | NetlinkFlags.Request, operation, kind, objectName));
        var header = Reserve(NetlinkConstants.HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)(flags | NetlinkFlags.Request));
        return this;
    }

    /// <summary>Finishes the current message by writing its length.</summary>
    public NetlinkRequest End()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_messageStart), (uint)(_length - _messageStart));
        _messageStart = -1;
        return this;
    }

    /// <summary>Writes a fixed family header (ifinfomsg, ifaddrmsg, rtmsg, ...) right after nlmsghdr.</summary>
    public NetlinkRequest Struct<T>(in T value) where T : unmanaged
    {
        var span = Reserve(NetlinkConstants.Align(Unsafe.SizeOf<T>()));
        MemoryMarshal.Write(span, in value);
        return this;
    }

    public NetlinkRequest Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var span = Reserve(NetlinkConstants.Align(NetlinkConstants.AttributeHeaderSize + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(NetlinkConstants.AttributeHeaderSize + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        value.CopyTo(span[NetlinkConstants.AttributeHeaderSize..]);
        return this;
    }

    public NetlinkRequest Flag(ushort type) => Attribute(type, []);

    public NetlinkRequest U8(ushort type, byte value) => Attribute(type, [value]);

    public NetlinkRequest U16(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    /// <summary>A 16-bit value in network byte order (ports).</summary>
    public NetlinkRequest Be16(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return Attribute(type, bytes);
    }

    public NetlinkRequest U32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    public NetlinkRequest Be32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Attribute(type, bytes);
    }

    public NetlinkRequest S32(ushort type, int value) => U32(type, unchecked((uint)value));

    public NetlinkRequest U64(ushort type, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    /// <summary>A NUL-terminated string, as the kernel's NLA_STRING/NLA_NUL_STRING policies expect.</summary>
    public NetlinkRequest String(ushort type, string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = count < 256 ? stackalloc byte[count + 1] : new byte[count + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[count] = 0;
        return Attribute(type, bytes);
    }

    /// <summary>Opens a nested attribute; returns the token <see cref="EndNested"/> takes.</summary>
    public int BeginNested(ushort type, bool markNested = false)
    {
        var offset = _length;
        var span = Reserve(NetlinkConstants.AttributeHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], markNested ? (ushort)(type | NetlinkConstants.NLA_F_NESTED) : type);
        return offset;
    }

    public NetlinkRequest EndNested(int token)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(token), (ushort)(_length - token));
        return this;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}
