using Fireline.Host;
using Fireline.Linux;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.Benchmarks;

public static class EngineHosts
{
    /// <summary>How many creates or deletes run at once when a host is filled or emptied.</summary>
    public const int FillParallelism = 4;

    /// <summary>
    /// A private test host with the engine on it, host initialized. <paramref name="hostIpv6"/> false disables IPv6
    /// on the test host's new links first (no link-local address, DAD or router solicitation on the host veths).
    /// </summary>
    public static EngineHost Open(bool hostIpv6 = true)
    {
        var env = new EngineHost();
        try
        {
            if (!hostIpv6)
            {
                env.Host.HostNamespace.Run(static () => Sysctl.Write("net.ipv6.conf.default.disable_ipv6", "1"));
            }

            env.Engine.InitHost(new HostInitRequest());
            return env;
        }
        catch
        {
            env.Dispose();
            throw;
        }
    }

    /// <summary>Creates the VMs through the engine, <see cref="FillParallelism"/> at a time.</summary>
    public static void Fill(EngineHost env, IEnumerable<VmCreateRequest> requests, CancellationToken stop)
        => Parallel.ForEach(requests, new ParallelOptions { MaxDegreeOfParallelism = FillParallelism, CancellationToken = stop },
            request => env.Engine.CreateVm(request));

    /// <summary>
    /// Deletes the VMs through the engine, so the kernel tears their namespaces down as in production; the test
    /// host's own cleanup (one <c>ip netns del</c> each) is the fallback for anything left.
    /// </summary>
    public static void Empty(EngineHost env, IEnumerable<string> vmIds)
        => Parallel.ForEach(vmIds, new ParallelOptions { MaxDegreeOfParallelism = FillParallelism }, id => env.Engine.DeleteVm(id));
}
