using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Fireline.TestSupport.Leaks;

/// <summary>
/// xunit's framework with one addition: each test class must leave the process with no more open descriptors
/// than it found (<see cref="OpenFiles"/>), once its class fixture is gone; a class that leaves some fails with
/// the list. A test run that piles up descriptors fails far from the test that leaked them (libnftables, which
/// Fireline once used, aborted the whole process when its socket landed on a descriptor ≥ 1024).
/// The count is exact only when one class runs at a time: an assembly using this framework turns
/// parallelization off (<c>[assembly: CollectionBehavior(DisableTestParallelization = true)]</c>).
/// </summary>
public sealed class LeakCheckingFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    /// <summary>The name <c>[assembly: TestFramework(...)]</c> takes.</summary>
    public const string TypeName = "Fireline.TestSupport.Leaks.LeakCheckingFramework";

    public const string AssemblyName = "Fireline.TestSupport";

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName)
        => new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override Task AfterTestAssemblyStartingAsync()
        {
            RuntimeWarmUp.Run();
            return base.AfterTestAssemblyStartingAsync();
        }

        protected override Task<RunSummary> RunTestCollectionAsync(IMessageBus messageBus, ITestCollection testCollection,
            IEnumerable<IXunitTestCase> testCases, CancellationTokenSource cancellationTokenSource)
            => new CollectionRunner(testCollection, testCases, DiagnosticMessageSink, messageBus, TestCaseOrderer,
                new ExceptionAggregator(Aggregator), cancellationTokenSource).RunAsync();
    }

    private sealed class CollectionRunner(ITestCollection testCollection, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink,
        IMessageBus messageBus, ITestCaseOrderer testCaseOrderer, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
        : XunitTestCollectionRunner(testCollection, testCases, diagnosticMessageSink, messageBus, testCaseOrderer, aggregator, cancellationTokenSource)
    {
        protected override async Task<RunSummary> RunTestClassAsync(ITestClass testClass, IReflectionTypeInfo @class, IEnumerable<IXunitTestCase> testCases)
        {
            var before = OpenFiles.Snapshot();
            var summary = await base.RunTestClassAsync(testClass, @class, testCases);
            var left = OpenFiles.Snapshot().Except(before).Order(StringComparer.Ordinal).ToList();
            if (left.Count > 0)
            {
                // Reported as one more failed result of the class's last test: a cleanup failure alone is only
                // logged, and the run would still pass.
                var message = $"{testClass.Class.Name} left {left.Count} descriptor(s) open:\n  {string.Join("\n  ", left)}";
                var last = testCases.Last();
                var test = new XunitTest(last, $"{testClass.Class.Name}: descriptors left open");
                var sent = MessageBus.QueueMessage(new TestStarting(test)) &&
                           MessageBus.QueueMessage(new TestFailed(test, 0, "", [typeof(DescriptorLeakException).FullName], [message], [""], [-1])) &&
                           MessageBus.QueueMessage(new TestFinished(test, 0, ""));
                if (!sent)
                {
                    CancellationTokenSource.Cancel();
                }

                summary.Total++;
                summary.Failed++;
            }

            return summary;
        }
    }

    private sealed class DescriptorLeakException : Exception;
}
