namespace Fireline.Networks;

/// <summary>A network's warm pool as <c>network show</c> prints it: the slots it keeps ready, and how many are ready now.</summary>
public sealed record PoolView(int Size, int Ready);
