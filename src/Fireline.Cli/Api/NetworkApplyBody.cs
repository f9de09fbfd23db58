namespace Fireline.Cli.Api;

/// <summary>
/// The body of <c>POST /v1/networks:apply</c>: <c>{document, dryRun?, prune?}</c>, where <c>document</c> is a
/// whole <c>network-config.yaml</c> (YAML text), as <c>fireline network apply -f FILE</c> reads it.
/// </summary>
internal sealed record NetworkApplyBody
{
    public required string Document { get; init; }

    public bool DryRun { get; init; }

    public bool Prune { get; init; }
}
