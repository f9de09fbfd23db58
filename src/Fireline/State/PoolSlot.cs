namespace Fireline.State;

/// <summary>
/// One slot of a network's warm pool: an address leased to no VM yet, with the namespace, TAP, veth pair and join a
/// VM of that address needs (everything that does not depend on which VM it is). Only a ready slot is handed out;
/// one in any other state is made whole or removed by reconcile, never given to a VM.
/// </summary>
public sealed record PoolSlot(string Network, uint Address, SlotState State);

public enum SlotState
{
    /// <summary>Being made: recorded (with its lease) before the first device exists.</summary>
    Filling,

    /// <summary>Whole and scrubbed: what an acquire takes.</summary>
    Ready,

    /// <summary>Given back by a deleted VM: its namespace is the slot's again, the scrub has not finished.</summary>
    Scrubbing,
}
