using System.Globalization;
using Fireline.Errors;
using Fireline.Linux;
using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.Ownership;
using Fireline.State;

namespace Fireline.Host;

/// <summary>
/// A network's 802.1Q device: <c>vlan&lt;id&gt;</c> on the uplink, a port of the network's bridge, so the network's
/// frames leave the uplink tagged with its id and tagged frames come in to its bridge. Marked like the bridges; a
/// link of that name that is not this instance's VLAN device is never used, changed or deleted.
/// </summary>
public sealed partial class HostDatapath
{
    /// <summary>The setting that names a VLAN device between its create and its mark (as <see cref="BridgeIntentKey"/> does for bridges).</summary>
    private const string VlanIntentKey = "creating-vlan";

    private const string VlanPrefix = "vlan";

    /// <summary>
    /// The device that carries VLAN <paramref name="id"/>: one name per id, and no two networks share an id (the
    /// validator), so no two networks share a device. Not <c>fl...</c>: anti-spoofing takes those for VM ports.
    /// </summary>
    public static string VlanDevice(int id) => VlanPrefix + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The VLAN id of a link named like a VLAN device; null for any other name.</summary>
    public static int? VlanIdOf(string linkName)
        => linkName.StartsWith(VlanPrefix, StringComparison.Ordinal) && linkName.Length > VlanPrefix.Length && linkName[VlanPrefix.Length] != '0' &&
           int.TryParse(linkName.AsSpan(VlanPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is >= 1 and <= 4094
            ? id
            : null;

    /// <summary>
    /// Ensures the network's VLAN device (<c>ip link add link UPLINK name vlanN type vlan id N; ip link set vlanN
    /// master BRIDGE up</c>), marked as this instance's: made when missing, made again when it sits on another
    /// parent than <paramref name="uplink"/> (the uplink changed) or has another id, put on the bridge when it is not, and up when
    /// <paramref name="up"/> (a new network's device stays down until its firewall chains exist: nothing from the
    /// physical network reaches a bridge the firewall does not know yet). A link of that name that is not this
    /// instance's VLAN device is refused (<c>conflict</c>, field <c>vlan</c>). Returns whether anything changed.
    /// </summary>
    public bool EnsureVlan(NetworkSpec network, string uplink, int bridgeIndex, bool up = true)
    {
        var id = network.Vlan ?? throw new ArgumentException("the network has no vlan", nameof(network));
        var name = VlanDevice(id);
        return kernel.Rtnl(rtnl =>
        {
            var parent = rtnl.Links.TryGet(uplink) ?? throw DomainErrors.InvalidInput("vlan", $"network '{network.Name}': vlan {id} needs the uplink {uplink}, which is missing from the host namespace");
            var device = rtnl.Links.TryGet(name);
            if (device is not null && VlanOwner(device) == Owner.Unmarked)
            {
                rtnl.Links.SetAlias(device.Index, name, mark.Text); // a create cut off before its mark (the intent names it)
            }

            if (device is not null && device.ParentIndex == parent.Index && device.VlanId == id)
            {
                var changed = false;
                if (device.MasterIndex != bridgeIndex)
                {
                    rtnl.Links.SetMaster(name, bridgeIndex);
                    changed = true;
                }

                if (up && !device.IsUp)
                {
                    rtnl.Links.SetUp(name);
                    changed = true;
                }

                return changed;
            }

            if (device is not null)
            {
                rtnl.Links.DeleteIfExists(name);
            }

            store.SaveSetting(VlanIntentKey, name);
            rtnl.Links.Create(new LinkSpec(name, new Vlan(parent.Index, id)) { MasterIndex = bridgeIndex, Up = up, Alias = mark.Text });
            store.SaveSetting(VlanIntentKey, "");
            return true;
        });
    }

    /// <summary>The VLAN device of id <paramref name="id"/>, when a link of its name exists (whoever's it is).</summary>
    public Link? FindVlan(int id) => kernel.Rtnl(rtnl => rtnl.Links.TryGet(VlanDevice(id)));

    /// <summary>
    /// Refuses, with <c>conflict</c> naming <paramref name="field"/>, a VLAN id whose device name a link holds that
    /// is not this instance's VLAN device. Changes nothing.
    /// </summary>
    public void RequireOwnVlan(int id, string field)
    {
        if (FindVlan(id) is { } device)
        {
            VlanOwner(device, field: field);
        }
    }

    /// <summary>
    /// <c>ip link del vlanN</c>, only when it is this instance's VLAN device; returns whether one was deleted.
    /// Anything else of that name, or nothing, leaves the host as it is.
    /// </summary>
    public bool DeleteVlan(int id)
        => kernel.Rtnl(rtnl => rtnl.Links.TryGet(VlanDevice(id)) is { } device && VlanOwner(device, refuse: false) != Owner.Foreign &&
                               rtnl.Links.DeleteIfExists(device.Name));

    /// <summary>
    /// Whose a link named like a VLAN device is: this instance's when it is a VLAN device with its mark, or an
    /// unmarked one this instance's intent names (a create cut off before its mark); anything else is foreign,
    /// refused with <c>conflict</c> naming <paramref name="field"/> unless not <paramref name="refuse"/>.
    /// </summary>
    public Owner VlanOwner(Link device, bool refuse = true, string field = "vlan")
    {
        var owner = mark.Judge(device, "vlan");
        if (owner == Owner.Unmarked && store.GetSetting(VlanIntentKey) != device.Name)
        {
            owner = Owner.Foreign;
        }

        if (owner == Owner.Foreign && refuse)
        {
            throw DomainErrors.Conflict($"link {device.Name} exists and is not this Fireline instance's VLAN device ({(device.Kind != "vlan" ? $"a {device.Kind ?? "device"}" : device.Alias is { } alias ? $"it carries the mark '{alias}'" : "it carries no mark")}); " +
                "it is left as it is", field);
        }

        return owner;
    }

    /// <summary>
    /// Whether this kernel can create 802.1Q VLAN devices: tried once, on a bridge in a scratch namespace that
    /// is removed at once, so the host itself is never touched.
    /// </summary>
    public bool SupportsVlans() => VlanSupport.Value;

    private static readonly Lazy<bool> VlanSupport = new(() =>
    {
        var name = $"fl-probe-{Environment.ProcessId}-{Random.Shared.Next():x}";
        var supported = true;
        using (NetworkNamespace.Create(name, () =>
            {
                using var rtnl = Rtnl.Open();
                rtnl.Links.Create(new LinkSpec("probe0", new Bridge()));
                try
                {
                    rtnl.Links.Create(new LinkSpec("probe0.1", new Vlan(rtnl.Links.Get("probe0").Index, 1)));
                }
                catch (KernelNotSupportedException)
                {
                    supported = false;
                }
            }))
        {
            NetworkNamespace.Delete(name);
        }

        return supported;
    });
}
