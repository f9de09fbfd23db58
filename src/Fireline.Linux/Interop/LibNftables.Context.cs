using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary>
    /// <c>struct nft_ctx *nft_ctx_new(uint32_t flags)</c>. Opens the context's nfnetlink socket in the calling
    /// thread's namespace. On a socket failure libnftables 1.0.x calls exit(); it never returns NULL for it.
    /// </summary>
    [LibraryImport(Name, EntryPoint = "nft_ctx_new", SetLastError = true)]
    internal static partial NftContextHandle CtxNew(uint flags);

    /// <summary><c>void nft_ctx_free(struct nft_ctx *ctx)</c>: closes the socket, frees the caches.</summary>
    [LibraryImport(Name, EntryPoint = "nft_ctx_free")]
    internal static partial void CtxFree(nint context);
}
