using Fireline.Linux.Namespaces;
using Fireline.Linux.Rtnetlink;
using Fireline.TestSupport;

namespace Fireline.IntegrationTests.Linux;

/// <summary><see cref="Rtnl.OpenEach"/>: one thread hop, one socket bound to each namespace.</summary>
[Trait("Category", Categories.Integration)]
public sealed class NamespaceSweepTests : IDisposable
{
    private readonly TestHost _host = new();

    [Fact]
    public void Each_connection_sees_its_own_namespace_and_the_calling_thread_stays_home()
    {
        var names = Enumerable.Range(0, 3).Select(i => $"{_host.Prefix}-sweep{i}").ToList();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            Ip.Run("netns", "add", name);
            Ip.Run("-n", name, "link", "add", $"mark{i}", "type", "veth", "peer", "name", $"peer{i}");
        }

        var handles = names.Select(n => NetworkNamespace.Open(n)).ToList();
        try
        {
            var connections = Rtnl.OpenEach(handles);
            try
            {
                Assert.Equal(["mark0", "mark1", "mark2"], connections.Select(c => c.Links.List().Select(l => l.Name).Single(n => n.StartsWith("mark", StringComparison.Ordinal))));
            }
            finally
            {
                foreach (var connection in connections)
                {
                    connection.Dispose();
                }
            }

            using var own = Rtnl.Open();
            Assert.DoesNotContain(own.Links.List(), l => l.Name.StartsWith("mark", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Dispose();
            }
        }
    }

    public void Dispose() => _host.Dispose();
}
