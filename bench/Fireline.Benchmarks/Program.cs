using BenchmarkDotNet.Running;
using Fireline.Benchmarks;

// Root required. `dotnet run -c Release -- --job short --filter '*'` runs the BenchmarkDotNet classes;
// `dotnet run -c Release -- lifecycle [--sizes 10,1000] [--samples 200] | [--batch N]` the VM lifecycle latencies;
// `dotnet run -c Release -- firewall [--sizes 10,4000] [--samples 200]` firewall programming and throughput (issue 5);
// `dotnet run -c Release -- networks [--sizes 10,100,1000,4096]` network apply and ruleset size by number of networks (issue 10);
// `dotnet run -c Release -- vm-policy [--sizes 10,4000] [--samples 200]` setting one VM's own rules (issue 15);
// `dotnet run -c Release -- pool [--samples 200]` the warm pool against the cold path, in-process and through the daemon (issue 11);
// `dotnet run -c Release -- churn [--resident 2000] [--clients 32] [--seconds 60] [--pool 64]` churn at density, pool off and on (issue 11);
// `dotnet run -c Release -- cluster [--samples 256] [--reach-samples 30]` create on a cluster node (etcd address blocks) against single-host mode, and time to cross-node reachability (issue 13).
if (args is ["lifecycle", .. var rest])
{
    return VmLifecycleBenchmark.Run(rest);
}

if (args is ["firewall", .. var options])
{
    return FirewallBenchmark.Run(options);
}

if (args is ["vm-policy", .. var vmPolicy])
{
    return VmPolicyBenchmark.Run(vmPolicy);
}

if (args is ["churn", .. var churn])
{
    return ChurnBenchmark.Run(churn);
}

if (args is ["pool", .. var pool])
{
    return PoolBenchmark.Run(pool);
}

if (args is ["cluster", .. var cluster])
{
    return ClusterBenchmark.Run(cluster);
}

if (args is ["networks", .. var scale])
{
    return NetworkScaleBenchmark.Run(scale);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
