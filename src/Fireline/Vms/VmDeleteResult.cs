namespace Fireline.Vms;

/// <summary>The outcome of a delete: whether there was anything left to remove.</summary>
public sealed record VmDeleteResult(string VmId, bool Deleted);
