using Fireline.Errors;
using Fireline.Host;
using Fireline.TestSupport;
using Fireline.Vms;

namespace Fireline.IntegrationTests.Engine;

[Trait("Category", Categories.Integration)]
public sealed class ConcurrencyAndScaleTests : IDisposable
{
    private readonly EngineHost _env = new();

    public ConcurrencyAndScaleTests() => _env.Engine.InitHost(new HostInitRequest());

    [Fact]
    public void Thirty_two_parallel_creators_and_deleters_never_share_an_address_and_leave_state_equal_to_kernel()
    {
        var ids = Enumerable.Range(0, 48).Select(i => _env.Host.VmId($"p{i}")).ToArray();
        var failures = new List<Exception>();
        Parallel.For(0, 32, new ParallelOptions { MaxDegreeOfParallelism = 32 }, worker =>
        {
            var random = new Random(worker);
            for (var step = 0; step < 25; step++)
            {
                var id = ids[random.Next(ids.Length)];
                try
                {
                    if (random.Next(3) == 0)
                    {
                        _env.Engine.DeleteVm(id);
                    }
                    else
                    {
                        _env.Engine.CreateVm(new VmCreateRequest { VmId = id });
                    }
                }
                catch (FirelineException error)
                {
                    lock (failures)
                    {
                        failures.Add(error);
                    }
                }
            }
        });

        Assert.Empty(failures);
        KernelState.AssertConsistent(_env, _env.Engine.ListVms());
    }

    [Fact]
    public void A_thousand_vms_are_created_and_deleted_leaving_nothing()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => _env.Host.VmId($"k{i}")).ToList();
        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, id => _env.Engine.CreateVm(new VmCreateRequest { VmId = id }));

        var records = _env.Engine.ListVms();
        Assert.Equal(1000, records.Count);
        KernelState.AssertConsistent(_env, records);
        // One port per VM, on the bridges of the network's segments (br-vms and those after it).
        Assert.Equal(1000, Ip.Links(_env.Host.HostNamespaceName).Count(l => l.TryGetProperty("master", out var m) &&
            (m.GetString() == "br-vms" || m.GetString()!.StartsWith(Addressing.NetworkSegments.Prefix("br-vms"), StringComparison.Ordinal))));

        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, id => _env.Engine.DeleteVm(id));

        Assert.Empty(_env.Engine.ListVms());
        KernelState.AssertConsistent(_env, []);
    }

    public void Dispose() => _env.Dispose();
}
