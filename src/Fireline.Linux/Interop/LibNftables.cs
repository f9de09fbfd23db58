namespace Fireline.Linux.Interop;

/// <summary>
/// libnftables, the library behind <c>nft</c> (Debian: libnftables1). It parses nft's own language and
/// sends each command buffer to the kernel as one nfnetlink batch, that is one transaction.
/// </summary>
internal static partial class LibNftables
{
    private const string Name = "libnftables.so.1";

    public const uint NFT_CTX_DEFAULT = 0;
    public const uint NFT_CTX_OUTPUT_JSON = 1 << 4;
    public const uint NFT_CTX_OUTPUT_TERSE = 1 << 11;

    /// <summary>
    /// Held around every call into the library, from any context. libnftables 1.0.x keeps the interface-name
    /// cache (iface.c: <c>iface_list</c>) in a process global that each command fills and
    /// <c>nft_run_cmd_from_buffer</c>/<c>nft_ctx_free</c> release, so two contexts used at once on two
    /// threads would corrupt it, or resolve names against each other's namespaces.
    /// </summary>
    public static readonly Lock Gate = new();
}
