using Fireline.Addressing;
using Fireline.Firecracker;
using Fireline.State;

namespace Fireline.Vms;

/// <summary>Derives a VM's full record from what is stored about it and its network.</summary>
public static class VmRecords
{
    /// <summary>Firecracker's interface id for the VM's one network interface; the guest sees it as eth0.</summary>
    public const string IfaceId = "eth0";

    public static VmRecord From(VmState vm, NetworkSpec network, string netnsDirectory, VfAllocation? vf = null)
    {
        var subnet = network.Subnet;
        var path = vm.NamespacePath(netnsDirectory);
        // A CNI attachment's namespace is the runtime's: named by its path's last part, as `ip netns` would.
        var ns = vm.Options.Attachment is null ? VmAddressing.NamespaceName(vm.VmId) : Path.GetFileName(path);
        var mac = VmAddressing.GuestMac(vm.Address).ToString();
        return new VmRecord
        {
            VmId = vm.VmId.Value,
            Network = vm.Network,
            Namespace = ns,
            NetnsPath = path,
            TapDevice = vm.TapName,
            HostVeth = VmAddressing.HostVeth(vm.Address),
            GuestMac = mac,
            Ipv4 = new IpConfig(Ipv4Network.Format(vm.Address), subnet.PrefixLength, Ipv4Network.Format(subnet.Gateway)),
            Ipv6 = Ipv6Of(vm, network) is { } prefix ? new IpConfig(prefix.VmAddress(vm.Address).ToString(), prefix.Length, prefix.Gateway.ToString()) : null,
            BootArgs = BootArgs(vm, network),
            Firecracker = new NetworkInterface
            {
                IfaceId = IfaceId,
                HostDevName = vm.TapName,
                GuestMac = mac,
                // On a tc network the host enforces the limits; the VMM must not apply them a second time.
                RxRateLimiter = network.RateLimiter == RateLimiterKind.Firecracker ? RateLimiter.From(vm.Options.RateLimits?.Rx) : null,
                TxRateLimiter = network.RateLimiter == RateLimiterKind.Firecracker ? RateLimiter.From(vm.Options.RateLimits?.Tx) : null,
            },
            JailerArgs = ["--netns", path],
            Sriov = vf is null ? null : new Sriov.VfAssignment(vf.Pf, vf.Index, vf.Device, Fireline.Sriov.SriovPool.VfDevice),
            Policies = vm.Options.Policies ?? [],
            State = vm.Lifecycle switch
            {
                VmLifecycle.Creating => "creating",
                VmLifecycle.Deleting => "deleting",
                _ => "ready",
            },
        };
    }

    /// <summary>
    /// The kernel argument that configures the guest's eth0, IPv6 part included when the VM has one: the record and the
    /// doctor's hint both print this, so they cannot disagree.
    /// </summary>
    public static string BootArgs(VmState vm, NetworkSpec network)
        => VmAddressing.BootArgs(vm.Address, network.Subnet, network.Dns, Ipv6Of(vm, network));

    /// <summary>The network's IPv6 prefix when the VM was created dual stack; null otherwise.</summary>
    public static Ipv6Prefix? Ipv6Of(VmState vm, NetworkSpec network) => vm.Options.Ipv6 ? network.Ipv6 : null;
}
