using System.Security.Cryptography;
using Fireline.Addressing;
using Fireline.Linux.Rtnetlink;
using Fireline.State;

namespace Fireline.Ownership;

/// <summary>
/// The mark a Fireline instance leaves on everything it creates in the kernel: the link alias (IFLA_IFALIAS)
/// <c>fireline:ID</c> on its bridges and <c>fireline:ID:VMID</c> on a VM's host veth, veth0 and tap0, where ID is
/// the random id of its state directory. Names prove nothing (anyone can call a bridge <c>fl0a640002</c> or a
/// namespace <c>vm-x</c>); the mark, together with the kind of link, is what reconcile and delete go by.
/// </summary>
public sealed class InstanceMark
{
    private const string Prefix = "fireline:";

    /// <summary>The key of the instance id in the state store's settings.</summary>
    public const string SettingKey = "instance-id";

    public InstanceMark(string instanceId)
    {
        if (instanceId.Length == 0 || instanceId.Any(c => !char.IsAsciiHexDigitLower(c)))
        {
            throw new ArgumentException($"an instance id is lowercase hex, not '{instanceId}'", nameof(instanceId));
        }

        Text = Prefix + instanceId;
    }

    /// <summary>
    /// The start of the instance id, for names that must differ between instances on one machine (its warm-pool
    /// slots' namespaces): 48 random bits, never proof of anything, which only the mark is.
    /// </summary>
    public string ShortId => Text.Substring(Prefix.Length, Math.Min(12, Text.Length - Prefix.Length));

    /// <summary>The mark of objects that belong to the instance as a whole: its bridges.</summary>
    public string Text { get; }

    /// <summary>
    /// The state directory's instance id, made (128 random bits) and stored the first time a state directory is
    /// opened: a new or empty state directory is a new instance, which owns nothing yet.
    /// </summary>
    public static InstanceMark Load(IStateStore store)
    {
        var id = store.GetSetting(SettingKey);
        if (id is null)
        {
            id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            store.SaveSetting(SettingKey, id);
        }

        return new InstanceMark(id);
    }

    /// <summary>The mark of one VM's links: the instance's, with the VM's id after it for whoever reads <c>ip link</c>.</summary>
    public string ForVm(VmId vm) => $"{Text}:{vm.Value}";

    /// <summary>
    /// The mark of a warm-pool slot's links: the instance's, for no VM yet. A VM that takes the slot keeps it (re-marking
    /// would cost a visit inside the namespace on the create's path); either mark proves the links are this instance's.
    /// </summary>
    public string ForSlot() => $"{Text}:pool";

    /// <summary>Whose <paramref name="alias"/> says a link is: this instance's (with or without a VM id after it), nobody's, or another's.</summary>
    public Owner Judge(string? alias)
        => string.IsNullOrEmpty(alias) ? Owner.Unmarked
            : alias == Text || alias.StartsWith(Text + ":", StringComparison.Ordinal) ? Owner.Ours
            : Owner.Foreign;

    /// <summary>
    /// Whose a link is that should be of <paramref name="kind"/> ("bridge", "veth", "tun"): one of another kind is
    /// never this instance's (nor one to adopt), whatever its alias says.
    /// </summary>
    public Owner Judge(Link link, string kind) => link.Kind == kind ? Judge(link.Alias) : Owner.Foreign;
}
