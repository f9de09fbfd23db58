using Fireline.Reconciliation;

namespace Fireline.Metrics;

/// <summary>
/// What the engine reports about its own work, for whoever counts it (the daemon's metrics). The engine calls
/// it only when one is configured, so an in-process CLI call pays nothing for it.
/// </summary>
public interface IOperationObserver
{
    /// <summary>An operation (<c>create</c>, <c>delete</c>) finished; <paramref name="failureCode"/> is the domain error code when it failed.</summary>
    void Completed(string operation, TimeSpan elapsed, string? failureCode);

    /// <summary>A reconcile pass finished with these actions (none when state and kernel agreed).</summary>
    void Reconciled(ReconcileReport report);
}
