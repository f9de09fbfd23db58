namespace Fireline.EndToEndTests;

/// <summary>
/// Tests that measure rates run alone, after the others: on two cores, guests booting next to a measurement
/// starve its emulated sender, whose stalls leave the shaper idle and read as a rate under the limit.
/// </summary>
[CollectionDefinition(nameof(Measurements), DisableParallelization = true)]
public sealed class Measurements;
