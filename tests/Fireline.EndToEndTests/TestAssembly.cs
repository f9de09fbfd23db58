using Fireline.TestSupport.Leaks;

// One test class at a time, each checked for descriptors it leaves open (LeakCheckingFramework): this also
// bounds the test hosts, guests and daemons alive at once on a two-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestFramework(LeakCheckingFramework.TypeName, LeakCheckingFramework.AssemblyName)]
