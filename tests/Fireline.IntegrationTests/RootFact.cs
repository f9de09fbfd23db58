namespace Fireline.IntegrationTests;

/// <summary>Tests of this tier drive the real kernel: they need root and say so in their category.</summary>
internal static class Categories
{
    public const string Integration = "Integration";

    /// <summary>Tests of a host at full size (10,000 VMs): minutes each, so scripts/test.sh runs them as a tier of their own.</summary>
    public const string Scale = "Scale";
}
