using Fireline.Errors;
using Fireline.Linux;

namespace Fireline.Firecracker;

public sealed partial class FirecrackerClient
{
    /// <summary>A bucket of size 0: in a PATCH, Firecracker removes the bucket it has.</summary>
    private static readonly TokenBucket NoLimit = new() { Size = 0, RefillTime = 0 };

    /// <summary>
    /// Brings the VMM in line with a VM record, asking its state first. Not started: PUTs the interface, then MMDS
    /// and the boot source (Fireline's arguments merged in) when asked; a VMM without a boot source yet gets the
    /// interface and MMDS, and the result says Fireline's arguments did not reach it (orchestrators configure a VMM
    /// in any order; attaching again after the boot source is set merges them). Running or paused: only rate
    /// limiters can change, so they are PATCHed to match the record (a limiter the record lacks is removed), after
    /// checking that the VM's interface has the record's TAP and MAC; a different one is an error, since
    /// Firecracker cannot change it. Everything is validated before the first change is sent. Safe to repeat:
    /// Firecracker's PUTs replace.
    /// </summary>
    public AttachResult Attach(AttachRequest request)
    {
        request.Interface.Validate();
        request.Mmds?.Validate();
        request.BootSource?.Validate();
        var state = GetInstanceInfo().State;
        return state == VmmState.NotStarted ? Configure(request) : PatchStarted(request, state);
    }

    private AttachResult Configure(AttachRequest request)
    {
        var skipped = new List<string>();
        var boot = BootSourceFor(request, skipped);
        var sent = new List<string>();
        PutNetworkInterface(request.Interface);
        sent.Add("PUT " + InterfacePath(request.Interface.IfaceId));
        if (request.Mmds is { } mmds)
        {
            // After the interface: Firecracker refuses an MMDS config naming an interface it does not have yet.
            PutMmdsConfig(mmds);
            sent.Add("PUT /mmds/config");
        }

        if (boot is not null)
        {
            PutBootSource(boot);
            sent.Add("PUT /boot-source");
        }

        return new AttachResult(VmmState.NotStarted, sent, skipped);
    }

    /// <summary>
    /// The boot source to PUT: the caller's or the VMM's own, Fireline's arguments merged in. Null when there is
    /// nothing to PUT; when that is because the VMM has no boot source yet, <paramref name="skipped"/> says so.
    /// </summary>
    private BootSource? BootSourceFor(AttachRequest request, List<string> skipped)
    {
        if (request.BootArgs is not { } firelineArgs)
        {
            return request.BootSource;
        }

        if ((request.BootSource ?? ConfiguredBootSource()) is not { } source)
        {
            skipped.Add($"kernel arguments: the VMM has no boot source yet, so '{firelineArgs}' did not reach it; the guest " +
                        "must get its address another way: the VM record's bootArgs in the boot source the VMM is given, " +
                        "or MMDS (attaching again once the VMM has a boot source merges them in)");
            return null;
        }

        return source with { BootArgs = BootArgs.Merge(source.BootArgs, firelineArgs) };
    }

    /// <summary>The VMM's boot source; null when it has none yet.</summary>
    private BootSource? ConfiguredBootSource()
    {
        // Until a boot source is PUT, Firecracker reports its default one: an empty kernel image path.
        var current = GetVmConfig().BootSource;
        return current?.KernelImagePath is { Length: > 0 } kernel
            ? new BootSource { KernelImagePath = kernel, BootArgs = current.BootArgs, InitrdPath = current.InitrdPath }
            : null;
    }

    private AttachResult PatchStarted(AttachRequest request, VmmState state)
    {
        var wanted = request.Interface;
        var config = GetVmConfig();
        var how = state == VmmState.Paused ? "paused" : "running";
        var running = config.NetworkInterfaces?.FirstOrDefault(i => i.IfaceId == wanted.IfaceId)
            ?? throw DomainErrors.Conflict($"the {how} VM has no interface '{wanted.IfaceId}': Firecracker adds interfaces only before boot", "ifaceId");
        const string why = "Firecracker cannot change a started VM's TAP or MAC, only its rate limiters; restart the VM to change it";
        if (running.HostDevName != wanted.HostDevName)
        {
            throw DomainErrors.Conflict(
                $"the {how} VM's interface {wanted.IfaceId} is on TAP '{running.HostDevName}', the record says '{wanted.HostDevName}': {why}", "hostDevName");
        }

        if (!MacAddress.TryParse(running.GuestMac, out var mac) || mac != MacAddress.Parse(wanted.GuestMac))
        {
            throw DomainErrors.Conflict(
                $"the {how} VM's interface {wanted.IfaceId} has MAC '{running.GuestMac ?? "(none)"}', the record says '{wanted.GuestMac}': {why}", "guestMac");
        }

        var rx = LimiterChange(wanted.RxRateLimiter, running.RxRateLimiter);
        var tx = LimiterChange(wanted.TxRateLimiter, running.TxRateLimiter);
        var sent = new List<string>();
        if (rx is not null || tx is not null)
        {
            PatchNetworkInterface(wanted.IfaceId, rx, tx);
            sent.Add("PATCH " + InterfacePath(wanted.IfaceId));
        }

        return new AttachResult(state, sent, Skipped(request, config.BootSource?.BootArgs));
    }

    /// <summary>What the PATCH must say for the VM's limiter to become the record's; null when nothing changes.</summary>
    private static RateLimiter? LimiterChange(RateLimiter? wanted, RateLimiter? running)
    {
        var bandwidth = BucketChange(wanted?.Bandwidth, running?.Bandwidth);
        var ops = BucketChange(wanted?.Ops, running?.Ops);
        return bandwidth is null && ops is null ? null : new RateLimiter { Bandwidth = bandwidth, Ops = ops };
    }

    private static TokenBucket? BucketChange(TokenBucket? wanted, TokenBucket? running)
    {
        if (wanted is null || wanted.Size == 0)
        {
            return running is null ? null : NoLimit;
        }

        // Firecracker reports a one-time burst of 0 as none. Sending an equal bucket would refill it, so it is not sent.
        var same = running is not null && running.Size == wanted.Size && running.RefillTime == wanted.RefillTime &&
                   (running.OneTimeBurst ?? 0) == (wanted.OneTimeBurst ?? 0);
        return same ? null : wanted;
    }

    private static List<string> Skipped(AttachRequest request, string? bootedArgs)
    {
        var skipped = new List<string>();
        if (request.Mmds is not null)
        {
            skipped.Add("MMDS: Firecracker configures it only before boot");
        }

        if (request.BootSource is not null)
        {
            skipped.Add("boot source: Firecracker sets it only before boot");
        }
        else if (request.BootArgs is { } firelineArgs && bootedArgs is not null &&
                 BootArgs.Merge(bootedArgs, firelineArgs) != BootArgs.Merge(bootedArgs, ""))
        {
            skipped.Add($"kernel arguments: the guest booted with '{bootedArgs}', without '{firelineArgs}'; they apply at its next boot");
        }

        return skipped;
    }
}
