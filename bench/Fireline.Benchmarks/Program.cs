using BenchmarkDotNet.Running;

// Root required. `dotnet run -c Release -- --job short --filter '*'` (bench/run.sh) runs them all.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
