using System.Text.Json;
using Fireline.Vms;

namespace Fireline.TestSupport;

/// <summary>
/// Compares what Fireline's records say with what the kernel holds, seen through iproute2: every record
/// whole, nothing unclaimed, no address or MAC twice. What crash, concurrency and scale tests assert.
/// </summary>
public static class KernelState
{
    /// <remarks>
    /// A deleted VM's devices go with its namespace, which the kernel frees asynchronously a few milliseconds
    /// after delete returns (the VM is detached from its bridge before); so the check is retried for a moment.
    /// </remarks>
    /// <param name="slots">How many warm-pool slots the host should hold besides the VMs: each whole (its namespace with
    /// tap0 and veth0, its host veth up on a bridge), none half-made.</param>
    public static void AssertConsistent(EngineHost env, IReadOnlyList<VmRecord> records, int slots = 0)
    {
        // After a thousand deletes the kernel frees the namespaces in batches for a few seconds more.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                Check(env, records, slots);
                return;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static void Check(EngineHost env, IReadOnlyList<VmRecord> records, int slots)
    {
        var prefix = $"vm-{env.Host.Prefix}-";
        var namespaces = Tool.Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0]).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(records.Select(r => r.Namespace).Order().ToList(), namespaces);

        var hostLinks = Ip.Links(env.Host.HostNamespaceName);
        var vmVeths = hostLinks.Where(l => IsVmVeth(l.GetProperty("ifname").GetString()!)).ToList();
        var slotVeths = vmVeths.Select(l => l.GetProperty("ifname").GetString()!).Except(records.Select(r => r.HostVeth)).ToList();
        Assert.Equal(records.Select(r => r.HostVeth).Order().ToList(), vmVeths.Select(l => l.GetProperty("ifname").GetString()!).Except(slotVeths).Order().ToList());
        Assert.Equal(slots, slotVeths.Count);
        var slotNamespaces = Tool.Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0])
            .Where(n => n.StartsWith("fls-", StringComparison.Ordinal)).ToList();
        foreach (var veth in slotVeths)
        {
            var slot = slotNamespaces.SingleOrDefault(n => n.EndsWith("-" + veth["fl".Length..], StringComparison.Ordinal));
            Assert.True(slot is not null, $"{veth} is no VM's and no slot's");
            Assert.NotNull(Ip.Link(slot, "tap0"));
            Assert.NotNull(Ip.Link(slot, "veth0"));
        }
        foreach (var veth in vmVeths)
        {
            Assert.True(veth.TryGetProperty("master", out var master), $"{veth.GetProperty("ifname")} is on no bridge");
            Assert.True(master.GetString()!.StartsWith("br-", StringComparison.Ordinal) || Addressing.NetworkSegments.IsFurtherBridgeName(master.GetString()!),
                $"{veth.GetProperty("ifname")} is on {master.GetString()}, no network's bridge");
            Assert.Contains("UP", veth.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        }

        foreach (var record in records)
        {
            Assert.Equal("ready", record.State);
            var tap = Ip.Link(record.Namespace, "tap0");
            Assert.True(tap is not null, $"{record.Namespace} has no tap0");
            Assert.NotNull(Ip.Link(record.Namespace, "veth0"));
        }

        Assert.Equal(records.Count, records.Select(r => r.Ipv4.Address).Distinct().Count());
        Assert.Equal(records.Count, records.Select(r => r.GuestMac).Distinct().Count());
    }

    private static bool IsVmVeth(string name) => name.Length == 10 && name.StartsWith("fl", StringComparison.Ordinal);

    /// <summary>The ruleset of a namespace as nft prints it (for before/after comparisons).</summary>
    public static string Ruleset(TestHost host) => host.InHost("nft", "list", "ruleset");

    /// <summary>Parses a JSON document printed by the CLI.</summary>
    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
