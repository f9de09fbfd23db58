using System.Runtime.InteropServices;
using System.Text.Json;
using Fireline.Linux.Interop;
using Fireline.Linux.Namespaces;

namespace Fireline.Linux.Nftables;

/// <summary>
/// A libnftables context bound to one network namespace: runs nft command buffers there, each buffer as one
/// transaction, from any thread. Thread-safe: calls are serialized (see <see cref="LibNftables.Gate"/>).
/// <para>
/// Why every command runs on the namespace's worker thread (measured with libnftables 1.0.6, Debian 12: a
/// context made on a thread inside namespace A, its commands run from a thread inside namespace B):
/// the nfnetlink socket is opened once, in <c>nft_ctx_new</c>, so tables, chains, sets and elements land in
/// A. But interface names (<c>iif "eth0"</c>, <c>oif</c>) are resolved per command through a fresh
/// rtnetlink socket opened on the calling thread, that is in B: <c>iif "onlyinb"</c> was accepted, stored as
/// B's ifindex 2, and listed in A as the unrelated A link with index 2. Running each command inside the
/// namespace makes both lookups agree whatever thread calls.
/// </para>
/// </summary>
public sealed class NftContext : IDisposable
{
    /// <summary>FD_SETSIZE: the first descriptor select() cannot wait on.</summary>
    private const int SelectLimit = 1024;

    private readonly NetworkNamespace _namespace;
    private readonly NftContextHandle _handle;

    private NftContext(NetworkNamespace ns, NftContextHandle handle)
    {
        _namespace = ns;
        _handle = handle;
    }

    /// <summary>
    /// Creates a context whose every command acts on <paramref name="ns"/>. The context keeps its own handle
    /// on the namespace; <paramref name="ns"/> may be disposed afterwards.
    /// <para>
    /// libnftables 1.0.x waits for the kernel's answers with select() on the socket it opens here, and glibc's
    /// fortified FD_SET aborts the whole process when that descriptor is 1024 or more. The socket takes the
    /// lowest free descriptor, so open contexts early, while the process holds few, and keep them; a process that
    /// has none free below 1024 gets an error here (EMFILE) instead of an abort at its first change.
    /// </para>
    /// </summary>
    public static NftContext Open(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Run(() =>
        {
            var own = NetworkNamespace.Current();
            NftContextHandle handle;
            lock (LibNftables.Gate)
            {
                try
                {
                    EnsureLowDescriptorFree();
                }
                catch
                {
                    own.Dispose();
                    throw;
                }

                handle = LibNftables.CtxNew(LibNftables.NFT_CTX_DEFAULT);
            }

            try
            {
                if (handle.IsInvalid)
                {
                    throw KernelException.Create(Marshal.GetLastPInvokeError(), KernelObjectKind.Nftables, "nft_ctx_new", null);
                }

                if (LibNftables.BufferOutput(handle) != 0 || LibNftables.BufferError(handle) != 0)
                {
                    throw new KernelException((int)Errno.ENOMEM, "nft_ctx_buffer_output", null, "libnftables could not set up its output buffers");
                }

                return new NftContext(own, handle);
            }
            catch
            {
                handle.Dispose();
                own.Dispose();
                throw;
            }
        });
    }

    /// <summary>
    /// Runs a command buffer (one or more commands, separated by newlines or ';') as one transaction and returns
    /// what it printed (empty for changes). A syntax error, an evaluation error or the kernel's refusal of any
    /// command throws <see cref="NftablesException"/> and leaves the ruleset as it was. <c>nft -f FILE</c>
    /// </summary>
    public string Run(string commands) => Execute(commands, 0);

    /// <summary>A listing without set elements, e.g. of a table's structure. <c>nft -t list ...</c></summary>
    public string ListTerse(string listCommand) => Execute(listCommand, LibNftables.NFT_CTX_OUTPUT_TERSE);

    /// <summary>
    /// Runs a listing command with JSON output, e.g. <c>list table inet fireline</c>; the document's root is
    /// <c>{"nftables": [...]}</c>. <c>nft -j list ...</c>
    /// </summary>
    public JsonDocument ListJson(string listCommand)
    {
        var output = Execute(listCommand, LibNftables.NFT_CTX_OUTPUT_JSON);
        return JsonDocument.Parse(output);
    }

    public void Dispose()
    {
        lock (LibNftables.Gate)
        {
            _handle.Dispose();
            _namespace.Dispose();
        }
    }

    private string Execute(string commands, uint outputFlags)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commands);
        lock (LibNftables.Gate)
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _namespace.Run(() => ExecuteInside(commands, outputFlags));
        }
    }

    private string ExecuteInside(string commands, uint outputFlags)
    {
        const uint Chosen = LibNftables.NFT_CTX_OUTPUT_JSON | LibNftables.NFT_CTX_OUTPUT_TERSE;
        LibNftables.OutputSetFlags(_handle, (LibNftables.OutputGetFlags(_handle) & ~Chosen) | outputFlags);
        var result = LibNftables.RunCmdFromBuffer(_handle, commands);
        var errno = Marshal.GetLastPInvokeError();
        // Both buffers are read every time: reading is what empties them for the next command.
        var output = Marshal.PtrToStringUTF8(LibNftables.GetOutputBuffer(_handle)) ?? "";
        var errors = Marshal.PtrToStringUTF8(LibNftables.GetErrorBuffer(_handle)) ?? "";
        if (result != 0)
        {
            throw NftablesException.FromRun(errno, Describe(commands), errors);
        }

        return output;
    }

    /// <summary>Refuses when the next socket would get a descriptor select() cannot take (see <see cref="Open"/>).</summary>
    private static void EnsureLowDescriptorFree()
    {
        using var probe = Libc.Open("/dev/null", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (!probe.IsInvalid && probe.Value >= SelectLimit)
        {
            throw new KernelException((int)Errno.EMFILE, "nft_ctx_new", null,
                $"the process holds every descriptor below {SelectLimit}, and libnftables' socket must get one of them (it waits on it with select())");
        }
    }

    /// <summary>The operation as an error message shows it: the command, or the first one of a longer buffer.</summary>
    private static string Describe(string commands)
    {
        const int MaxLength = 120;
        var trimmed = commands.Trim();
        var firstLine = trimmed.Split('\n')[0].Trim();
        if (firstLine.Length > MaxLength)
        {
            firstLine = firstLine[..MaxLength] + " ...";
        }

        return firstLine.Length == trimmed.Length ? $"nft {firstLine}" : $"nft -f - ({firstLine} ...)";
    }
}
