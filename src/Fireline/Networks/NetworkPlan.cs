namespace Fireline.Networks;

/// <summary>What <c>network apply</c> does (or, with --dry-run, would do), network by network.</summary>
public sealed record NetworkPlan
{
    public required bool DryRun { get; init; }

    public required IReadOnlyList<NetworkChange> Changes { get; init; }

    /// <summary>Fireline's nftables tables as they are after the apply (the rules the file compiles to).</summary>
    public required string Firewall { get; init; }
}

/// <summary>One network's part of a plan: create, update, unchanged or delete, and what that involves.</summary>
public sealed record NetworkChange(string Network, string Action, IReadOnlyList<string> Details);
