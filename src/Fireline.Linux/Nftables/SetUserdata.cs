namespace Fireline.Linux.Nftables;

/// <summary>
/// A set's NFTA_SET_USERDATA, as nft reads it when it lists (libnftnl's type-length-value records): only the
/// key's byte order, which nft needs to print host-order keys (an interface name) as text.
/// </summary>
internal static class SetUserdata
{
    private const byte KeyByteOrder = 0; // NFTNL_UDATA_SET_KEYBYTEORDER
    private const byte HostEndian = 1; // BYTEORDER_HOST_ENDIAN, a u32 in host order

    public static byte[] HostOrderKey { get; } = [KeyByteOrder, 4, HostEndian, 0, 0, 0];
}
