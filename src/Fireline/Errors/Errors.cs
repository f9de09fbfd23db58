using Fireline.Linux;

namespace Fireline.Errors;

/// <summary>The domain's errors, built in one place so each code is spelled once.</summary>
public static class DomainErrors
{
    public const string BridgeInUseCode = "bridge-in-use";

    /// <summary>The engine's option naming the host namespace (the CLI's and the daemon's <c>--host-netns</c>).</summary>
    public const string HostNamespaceField = "hostNamespace";

    public static FirelineException InvalidInput(string field, string message)
        => new(ErrorKind.InvalidInput, "invalid-argument", message) { Field = field };

    public static FirelineException InvalidVmId(string value, string why)
        => new(ErrorKind.InvalidInput, "invalid-vm-id", $"invalid VM id {UserText.Quote(value)}: {why}") { Field = "vmId" };

    public static FirelineException VmNotFound(string vmId)
        => new(ErrorKind.NotFound, "vm-not-found", $"no VM {UserText.Quote(vmId)}") { Field = "vmId" };

    public static FirelineException NetworkNotFound(string network)
        => new(ErrorKind.NotFound, "network-not-found", $"no network {UserText.Quote(network)} (run 'fireline host init' or 'fireline network apply' first)") { Field = "network" };

    /// <summary>The host namespace the engine was told to use cannot be opened.</summary>
    public static FirelineException NoHostNamespace(string nameOrPath, string why)
        => InvalidInput(HostNamespaceField, $"{FieldReference.Of(HostNamespaceField)}: no network namespace {UserText.Quote(nameOrPath)} ({why})");

    public static FirelineException HostNotInitialized()
        => new(ErrorKind.Unavailable, "host-not-initialized", "the host is not initialized: run 'fireline host init' first");

    public static FirelineException Conflict(string message, string? field = null)
        => new(ErrorKind.Conflict, "conflict", message) { Field = field };

    /// <summary>
    /// A network names a bridge (or any link) that exists in the host namespace and is not this instance's: another
    /// program's, another Fireline instance's, or one that only looks like Fireline's. Fireline neither adopts it
    /// nor ever deletes it.
    /// </summary>
    public static FirelineException BridgeInUse(string network, string bridge, string whose)
        => new(ErrorKind.Conflict, BridgeInUseCode,
            $"network '{network}': {bridge} exists in the host namespace and {whose}; Fireline uses only bridges it made itself. " +
            $"Name another bridge, or remove {bridge} if it is a leftover nobody uses") { Field = "bridge" };

    /// <summary>
    /// Fireline's nftables tables in the host namespace carry another instance's mark: two instances would undo
    /// each other's firewall. Fireline leaves them alone.
    /// </summary>
    public static FirelineException FirewallInUse(string table, string whose)
        => new(ErrorKind.Conflict, "firewall-in-use",
            $"nftables table {table} in the host namespace belongs to {whose}; one Fireline instance per host namespace " +
            $"(use another {FieldReference.Of(HostNamespaceField)}, or the state directory that made it)");

    public static FirelineException SubnetExhausted(string network, string subnet, long size)
        => new(ErrorKind.Exhausted, "subnet-exhausted", $"network '{network}' ({subnet}) has no free address: all {size} VM addresses are leased");

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

    /// <summary>
    /// A kernel failure no domain operation put in its own words, as the engine reports it to every caller (the CLI,
    /// and the daemon's API the same, so the CLI prints the same through <c>--socket</c>).
    /// </summary>
    public static FirelineException KernelCallFailed(KernelException error) => Kernel("kernel call failed", error);

    /// <summary>A kernel failure during a domain operation, with the kernel's errno and words kept.</summary>
    public static FirelineException Kernel(string what, KernelException error)
        => new(ErrorKind.Kernel, "kernel-error", $"{what}: {error.Message}", error);
}
