using System.Text.Json;

namespace Fireline.TestSupport.Cni;

/// <summary>
/// firecracker-go-sdk's <c>cni/vmconf.StaticNetworkConfFrom</c>, rule by rule, as the SDK applies them to a CNI result
/// (after converting it to the 1.0.0 types, which only drops <c>ips[].version</c>): exactly one interface whose sandbox is
/// the container id (the VM's pseudo-interface); exactly one other interface of that name (the TAP); exactly one IP on
/// the pseudo-interface; the TAP's sandbox a network namespace that holds the TAP (the SDK reads its MTU there).
/// </summary>
public sealed record VmConf(string TapName, string NetnsPath, string MacAddress, string Address, string Gateway, IReadOnlyList<string> Nameservers)
{
    public static VmConf From(JsonElement result, string containerId)
    {
        var interfaces = result.GetProperty("interfaces").EnumerateArray().ToList();
        var vm = interfaces.Where(i => Sandbox(i) == containerId).ToList();
        Require(vm.Count == 1, $"expected to find 1 interface in sandbox {containerId}, but instead found {vm.Count}");
        var name = vm[0].GetProperty("name").GetString()!;
        var taps = interfaces.Where(i => Sandbox(i) != containerId && i.GetProperty("name").GetString() == name).ToList();
        Require(taps.Count == 1, $"expected to find 1 interface with name {name}, but instead found {taps.Count}");
        var vmIps = result.GetProperty("ips").EnumerateArray()
            .Where(ip => ip.TryGetProperty("interface", out var index) && index.GetInt32() < interfaces.Count &&
                         interfaces[index.GetInt32()].GetProperty("name").GetString() == name && Sandbox(interfaces[index.GetInt32()]) == containerId)
            .ToList();
        Require(vmIps.Count == 1, $"expected to find 1 IP for vm interface {name}, but instead found {vmIps.Count}");
        var netns = Sandbox(taps[0]) ?? throw new InvalidOperationException("the TAP has no sandbox");
        Require(Tool.TryRun("nsenter", $"--net={netns}", "--", "ip", "link", "show", "dev", name).ExitCode == 0, $"failed to find device {name} in netns {netns}");

        var nameservers = result.TryGetProperty("dns", out var dns) && dns.TryGetProperty("nameservers", out var servers)
            ? servers.EnumerateArray().Select(s => s.GetString()!).ToList() : [];
        return new VmConf(name, netns, vm[0].GetProperty("mac").GetString()!, vmIps[0].GetProperty("address").GetString()!,
            vmIps[0].GetProperty("gateway").GetString()!, nameservers);
    }

    private static string? Sandbox(JsonElement item) => item.TryGetProperty("sandbox", out var sandbox) ? sandbox.GetString() : null;

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("firecracker-go-sdk would refuse this result: " + message);
        }
    }
}
