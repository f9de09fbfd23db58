namespace Fireline.Reconciliation;

/// <summary>What reconcile did, one line per action, so an operator can read what a crash left.</summary>
public sealed record ReconcileReport(IReadOnlyList<ReconcileAction> Actions);

/// <summary>One thing reconcile changed: what (<c>undo-create</c>, <c>finish-delete</c>, <c>remove-orphan</c>, ...), on what, and why.</summary>
public sealed record ReconcileAction(string Action, string Subject, string Detail);
