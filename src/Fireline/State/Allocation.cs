namespace Fireline.State;

/// <summary>
/// An address taken from a network's pool, and how: from the never-used range (the cursor moves on) or from
/// the released queue (that entry is consumed). Stored in the same transaction as the VM's create intent.
/// </summary>
public sealed record Allocation(uint Address, uint NextUnused, bool Recycled);
