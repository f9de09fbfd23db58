using System.Runtime.InteropServices;

namespace Fireline.Linux.Interop;

/// <summary>A <c>struct nft_ctx *</c>, freed exactly once, under <see cref="LibNftables.Gate"/>.</summary>
internal sealed class NftContextHandle : SafeHandle
{
    public NftContextHandle() : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        lock (LibNftables.Gate)
        {
            LibNftables.CtxFree(handle);
        }

        return true;
    }
}
