namespace Fireline.IntegrationTests;

/// <summary>Tests of this tier drive the real kernel: they need root and say so in their category.</summary>
internal static class Categories
{
    public const string Integration = "Integration";
}
