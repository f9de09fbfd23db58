namespace Fireline.Linux.Nftables;

/// <summary>A chain as the kernel lists it: its name, and whether it is a base chain on a hook.</summary>
public sealed record NftChainListing(string Name, NftHook? Hook);

/// <summary>
/// A rule as the kernel lists it: its chain, its handle, and the digest Fireline wrote into its user data
/// (null for a rule written by anyone else).
/// </summary>
public sealed record NftRuleListing(string Chain, ulong Handle, string? Digest);
