using Fireline.Addressing;
using Fireline.Doctor;
using Fireline.Errors;
using Fireline.Linux;
using Fireline.Linux.Rtnetlink;
using Fireline.State;
using Fireline.Vms;

namespace Fireline.Attachments;

/// <summary>
/// CNI attachments: a VM per (container id, interface name) whose devices live in the runtime's namespace. The VM's
/// id is the container id (CNI's rules for it are VmId's, bar the length: at most 64 characters), so one container
/// has one Fireline attachment. A DEL or GC removes only VMs that are attachments of the CNI network it names, never
/// a VM made through the API or CLI.
/// </summary>
public sealed class VmAttachments(IStateStore store, VmNetworks vms, Checkup checkup)
{
    /// <summary>The TAP's name when the runtime names none (tc-redirect-tap's default too).</summary>
    public const string DefaultTapName = "tap0";

    /// <summary>
    /// ADD: creates the attachment's VM, or returns it when the same ADD was made before (same namespace, names and
    /// options); a conflict when the id is taken otherwise, or a name is taken in the namespace.
    /// </summary>
    public AttachmentRecord Attach(AttachRequest request)
    {
        var id = ContainerId(request.ContainerId);
        request.RateLimits?.Validate();
        var attachment = new Attachment
        {
            CniNetwork = CniNetwork(request.CniNetwork),
            ContainerId = id.Value,
            IfName = InterfaceName("ifName", request.IfName),
            Netns = NamespacePath(request.Netns),
            TapName = InterfaceName("tapName", request.TapName ?? DefaultTapName),
        };
        if (attachment.TapName == attachment.IfName)
        {
            throw DomainErrors.InvalidInput("tapName", $"the TAP and the veth end cannot both be called {UserText.Quote(attachment.IfName)}");
        }

        if (store.GetVm(id) is { Options.Attachment: null })
        {
            throw DomainErrors.Conflict($"VM '{id}' exists and was made through the API or CLI, not by CNI; use another container id", "containerId");
        }

        // A DEL answered before its devices were removed may have left names in this namespace: they go first.
        vms.FinishTeardowns(attachment.Netns);
        var options = new VmOptions
        {
            RateLimits = request.RateLimits is { IsEmpty: false } limits ? limits : null,
            Ipv6 = request.Ipv6,
            TapOwner = request.TapOwner,
            TapGroup = request.TapGroup,
            Attachment = attachment,
        };
        return Record(vms.Create(id, request.Network ?? "default", options));
    }

    /// <summary>
    /// DEL: cuts the attachment off and leaves its devices to <see cref="VmNetworks.FinishTeardowns"/> (see
    /// <see cref="VmNetworks.Delete(VmId, Func{VmState, bool}, bool)"/>); succeeds (<c>deleted: false</c>) when there is none.
    /// </summary>
    public AttachmentDeleteResult Detach(string containerId, string ifName, string? cniNetwork)
    {
        var network = CniNetwork(cniNetwork);
        var result = vms.Delete(ContainerId(containerId), vm => IsAttachment(vm, network, containerId, ifName), deferTeardown: true);
        return new AttachmentDeleteResult(result.Deleted);
    }

    /// <summary>CHECK: the attachment and every failing check of its VM and the host (none when it is whole).</summary>
    public AttachmentCheck Check(string containerId, string ifName, string? cniNetwork)
    {
        var network = CniNetwork(cniNetwork);
        var id = ContainerId(containerId);
        var vm = store.GetVm(id) is { Lifecycle: VmLifecycle.Ready } found && IsAttachment(found, network, containerId, ifName)
            ? found : throw AttachmentNotFound(containerId, ifName, network);
        var problems = checkup.Run(id.Value).Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => $"{c.Scope} {c.Check}: {c.Detail}");
        return new AttachmentCheck(Record(vm), [.. problems]);
    }

    /// <summary>
    /// GC: removes every attachment of the CNI network that <paramref name="request"/> does not list as valid, going on
    /// past a failure and reporting them all at the end, as the spec asks.
    /// </summary>
    public AttachmentGcResult Collect(AttachmentGcRequest request)
    {
        var network = CniNetwork(request.CniNetwork);
        var valid = (request.Valid ?? []).Select(v => (v.ContainerId, v.IfName)).ToHashSet();
        var removed = new List<string>();
        var failures = new List<string>();
        foreach (var vm in store.ListVms())
        {
            if (vm.Options.Attachment is not { } a || a.CniNetwork != network || valid.Contains((a.ContainerId, a.IfName)))
            {
                continue;
            }

            try
            {
                if (vms.Delete(vm.VmId, v => IsAttachment(v, network, a.ContainerId, a.IfName), deferTeardown: true).Deleted)
                {
                    removed.Add(a.ContainerId);
                }
            }
            catch (FirelineException error)
            {
                failures.Add($"{a.ContainerId}: {error.Message}");
            }
        }

        return failures.Count == 0 ? new AttachmentGcResult(removed)
            : throw new FirelineException(ErrorKind.Kernel, "kernel-error", $"GC removed {removed.Count} attachments, but not these: {string.Join("; ", failures)}");
    }

    public static FirelineException AttachmentNotFound(string containerId, string ifName, string network)
        => new(ErrorKind.NotFound, "attachment-not-found", $"no attachment of container {UserText.Quote(containerId)} as {UserText.Quote(ifName)} on CNI network {UserText.Quote(network)}") { Field = "containerId" };

    private AttachmentRecord Record(VmState vm)
    {
        var record = vms.Record(vm);
        return new AttachmentRecord
        {
            Attachment = vm.Options.Attachment!,
            Network = vm.Network,
            HostVeth = record.HostVeth,
            GuestMac = record.GuestMac,
            Ipv4 = record.Ipv4,
            Ipv6 = record.Ipv6,
            Dns = store.GetNetwork(vm.Network)!.Spec.Dns,
        };
    }

    private static bool IsAttachment(VmState vm, string network, string containerId, string ifName)
        => vm.Options.Attachment is { } a && a.CniNetwork == network && a.ContainerId == containerId && a.IfName == ifName;

    /// <summary>CNI's container id rules are a VM id's; the message names the CNI field.</summary>
    private static VmId ContainerId(string value)
        => VmId.IsValid(value) ? VmId.Parse(value)
            : throw DomainErrors.InvalidInput("containerId",
                $"container id {UserText.Quote(value)} is not one Fireline takes: 1-{VmId.MaxLength} characters of letters, digits, '_', '.', '-', starting with a letter or digit");

    private static string InterfaceName(string field, string value)
        => LinkName.IsValid(value) ? value
            : throw DomainErrors.InvalidInput(field, $"{FieldReference.Of(field)} {UserText.Quote(value)} is not an interface name: 1-{LinkName.MaxBytes} bytes, no '/', ':' or white space");

    /// <summary>The CNI spec's rule for network names: a letter or digit, then letters, digits, '_', '.', '-'.</summary>
    private static string CniNetwork(string? value)
        => !string.IsNullOrEmpty(value) && value.Length <= 255 && char.IsAsciiLetterOrDigit(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') ? value
            : throw DomainErrors.InvalidInput("cniNetwork", $"{FieldReference.Of("cniNetwork")} {UserText.Quote(value ?? "")} is not a CNI network name: a letter or digit, then letters, digits, '_', '.', '-'");

    /// <summary>An absolute, normalised path (no '.' or '..' parts): the runtime's namespace, opened as it is named.</summary>
    private static string NamespacePath(string? value)
        => value is { Length: > 1 and <= 4096 } && value[0] == '/' && !value.Contains('\0', StringComparison.Ordinal) && Path.GetFullPath(value) == value && !value.EndsWith('/') ? value
            : throw DomainErrors.InvalidInput("netns", $"{FieldReference.Of("netns")} {UserText.Quote(value ?? "")} is not an absolute, normalised path to a network namespace");
}
