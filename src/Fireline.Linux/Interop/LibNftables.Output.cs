using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

internal static partial class LibNftables
{
    [LibraryImport(Name, EntryPoint = "nft_ctx_output_get_flags")]
    internal static partial uint OutputGetFlags(NftContextHandle context);

    [LibraryImport(Name, EntryPoint = "nft_ctx_output_set_flags")]
    internal static partial void OutputSetFlags(NftContextHandle context, uint flags);

    /// <summary>Collects what commands print in memory instead of on stdout; 0 on success.</summary>
    [LibraryImport(Name, EntryPoint = "nft_ctx_buffer_output")]
    internal static partial int BufferOutput(NftContextHandle context);

    /// <summary>Collects error messages in memory instead of on stderr; 0 on success.</summary>
    [LibraryImport(Name, EntryPoint = "nft_ctx_buffer_error")]
    internal static partial int BufferError(NftContextHandle context);

    /// <summary>
    /// The output collected since the last call, which empties the buffer. The string belongs to the context
    /// and is valid until its next call: read it at once, never free it (hence nint, not string).
    /// </summary>
    [LibraryImport(Name, EntryPoint = "nft_ctx_get_output_buffer")]
    internal static partial nint GetOutputBuffer(NftContextHandle context);

    /// <summary>The error text collected since the last call; the same ownership rules as the output.</summary>
    [LibraryImport(Name, EntryPoint = "nft_ctx_get_error_buffer")]
    internal static partial nint GetErrorBuffer(NftContextHandle context);
}
