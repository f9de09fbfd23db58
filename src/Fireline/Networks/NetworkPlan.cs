namespace Fireline.Networks;

/// <summary>What <c>network apply</c> does (or, with --dry-run, would do), network by network.</summary>
public sealed record NetworkPlan
{
    public required bool DryRun { get; init; }

    public required IReadOnlyList<NetworkChange> Changes { get; init; }

    /// <summary>The chains and rules the file's networks compile to, as nft would list them.</summary>
    public required string Firewall { get; init; }
}

/// <summary>One network's part of a plan: create, update, unchanged or delete, and what that involves.</summary>
public sealed record NetworkChange(string Network, string Action, IReadOnlyList<string> Details);
