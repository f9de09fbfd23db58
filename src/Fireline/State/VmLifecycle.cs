namespace Fireline.State;

/// <summary>
/// Where a VM is in its life. <see cref="Creating"/> and <see cref="Deleting"/> are durable intents: a
/// record left in either after a crash tells reconcile what to undo or finish.
/// </summary>
public enum VmLifecycle
{
    Creating,
    Ready,
    Deleting,
}
