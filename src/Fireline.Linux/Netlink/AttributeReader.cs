using System.Buffers.Binary;
using System.Text;

namespace Fireline.Linux.Netlink;

/// <summary>Walks a run of netlink attributes (struct nlattr). Use with foreach.</summary>
internal ref struct AttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    public AttributeReader(ReadOnlySpan<byte> attributes)
    {
        _remaining = attributes;
        Current = default;
    }

    public Attribute Current { get; private set; }

    public readonly AttributeReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.Length < NetlinkConstants.AttributeHeaderSize)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        if (length < NetlinkConstants.AttributeHeaderSize || length > _remaining.Length)
        {
            return false;
        }

        var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]) & NetlinkConstants.NLA_TYPE_MASK);
        Current = new Attribute(type, _remaining[NetlinkConstants.AttributeHeaderSize..length]);
        var step = Math.Min(NetlinkConstants.Align(length), _remaining.Length);
        _remaining = _remaining[step..];
        return true;
    }

    /// <summary>One attribute: its type (flags masked off) and value.</summary>
    public readonly ref struct Attribute
    {
        public Attribute(ushort type, ReadOnlySpan<byte> value)
        {
            Type = type;
            Value = value;
        }

        public ushort Type { get; }

        public ReadOnlySpan<byte> Value { get; }

        public byte U8 => Value[0];

        public ushort U16 => BinaryPrimitives.ReadUInt16LittleEndian(Value);

        public ushort Be16 => BinaryPrimitives.ReadUInt16BigEndian(Value);

        public uint U32 => BinaryPrimitives.ReadUInt32LittleEndian(Value);

        public int S32 => BinaryPrimitives.ReadInt32LittleEndian(Value);

        public ulong U64 => BinaryPrimitives.ReadUInt64LittleEndian(Value);

        /// <summary>A NUL-terminated string attribute, without the terminator.</summary>
        public string String
        {
            get
            {
                var end = Value.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end >= 0 ? Value[..end] : Value);
            }
        }

        public AttributeReader Nested => new(Value);
    }
}
