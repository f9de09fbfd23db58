using Fireline.Addressing;

namespace Fireline.State;

/// <summary>A VM as stored: the minimum from which its whole record is derived.</summary>
public sealed record VmState(VmId VmId, string Network, uint Address, VmOptions Options, VmLifecycle Lifecycle)
{
    /// <summary>The TAP inside the VM's namespace: <c>tap0</c>, or the name a CNI attachment asked for.</summary>
    public string TapName => Options.Attachment?.TapName ?? VmAddressing.TapDevice;

    /// <summary>The VM end of the veth pair: <c>veth0</c>, or a CNI attachment's <c>CNI_IFNAME</c>.</summary>
    public string VethName => Options.Attachment?.IfName ?? VmAddressing.VmVeth;

    /// <summary>
    /// The path of the VM's namespace: <c>vm-ID</c> under <paramref name="netnsDirectory"/>, Fireline's own, or a CNI
    /// attachment's runtime namespace, which Fireline never creates or removes.
    /// </summary>
    public string NamespacePath(string netnsDirectory)
        => Options.Attachment?.Netns ?? Path.Combine(netnsDirectory, VmAddressing.NamespaceName(VmId));
}
