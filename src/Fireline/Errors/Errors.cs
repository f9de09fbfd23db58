using Fireline.Linux;

namespace Fireline.Errors;

/// <summary>The domain's errors, built in one place so each code is spelled once.</summary>
public static class DomainErrors
{
    public static FirelineException InvalidInput(string field, string message)
        => new(ErrorKind.InvalidInput, "invalid-argument", message) { Field = field };

    public static FirelineException InvalidVmId(string value, string why)
        => new(ErrorKind.InvalidInput, "invalid-vm-id", $"invalid VM id '{value}': {why}") { Field = "vmId" };

    public static FirelineException VmNotFound(string vmId)
        => new(ErrorKind.NotFound, "vm-not-found", $"no VM '{vmId}'") { Field = "vmId" };

    public static FirelineException NetworkNotFound(string network)
        => new(ErrorKind.NotFound, "network-not-found", $"no network '{network}' (run 'fireline host init' or 'fireline network apply' first)") { Field = "network" };

    public static FirelineException HostNotInitialized()
        => new(ErrorKind.Unavailable, "host-not-initialized", "the host is not initialized: run 'fireline host init' first");

    public static FirelineException Conflict(string message, string? field = null)
        => new(ErrorKind.Conflict, "conflict", message) { Field = field };

    public static FirelineException SubnetExhausted(string network, string subnet, long size)
        => new(ErrorKind.Exhausted, "subnet-exhausted", $"network '{network}' ({subnet}) has no free address: all {size} VM addresses are leased");

    public static FirelineException BridgeFull(string network, string bridge, int ports)
        => new(ErrorKind.Exhausted, "bridge-full",
            $"network '{network}': bridge {bridge} holds {ports} VMs, the most a Linux bridge takes (1,024 ports); put further VMs on another network");

    public static FirelineException VfExhausted(string pfs)
        => new(ErrorKind.Exhausted, "vf-exhausted", $"no free SR-IOV VF on {pfs}: every enabled VF with a netdev in the host namespace is taken");

    /// <summary>This kernel or machine lacks a feature the request needs (802.1Q, bridge netfilter).</summary>
    public static FirelineException Unsupported(string message, string? field = null)
        => new(ErrorKind.Unavailable, "unsupported", message) { Field = field };

    public static FirelineException StateLocked(string stateDirectory, string holder)
        => new(ErrorKind.Unavailable, "state-locked", $"state directory {stateDirectory} is in use by {holder}");

    /// <summary>A native library Fireline needs cannot be loaded (see <see cref="Errors.MissingLibrary"/>).</summary>
    public static FirelineException MissingLibrary(string library, string remedy, Exception cause)
        => new(ErrorKind.Unavailable, "missing-library", $"cannot load {library}: {remedy}", cause);

    /// <summary>A kernel failure during a domain operation, with the kernel's errno and words kept.</summary>
    public static FirelineException Kernel(string what, KernelException error)
        => new(ErrorKind.Kernel, "kernel-error", $"{what}: {error.Message}", error);
}
