using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class LibNftables
{
    /// <summary>
    /// <c>int nft_run_cmd_from_buffer(struct nft_ctx *nft, const char *buf)</c>, like <c>nft -f</c>: parses the
    /// whole buffer, then sends every change in one batch. 0 on success, non-zero with text in the error
    /// buffer on failure. errno is left from the last failing system call, which is the kernel's answer only
    /// when the error text says so.
    /// </summary>
    [LibraryImport(Name, EntryPoint = "nft_run_cmd_from_buffer", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RunCmdFromBuffer(NftContextHandle context, string commands);
}
