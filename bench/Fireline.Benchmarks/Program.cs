using BenchmarkDotNet.Running;
using Fireline.Benchmarks;

// Root required. `dotnet run -c Release -- --job short --filter '*'` runs the BenchmarkDotNet classes;
// `dotnet run -c Release -- lifecycle [--sizes 10,1000] [--samples 200] | [--batch N]` the VM lifecycle latencies.
if (args is ["lifecycle", .. var rest])
{
    return VmLifecycleBenchmark.Run(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
