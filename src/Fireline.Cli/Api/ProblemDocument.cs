namespace Fireline.Cli.Api;

/// <summary>
/// An RFC 7807 problem (<c>application/problem+json</c>) with Fireline's extensions: the stable
/// <see cref="Code"/> (what the CLI prints with <c>-o json</c>), the error's <see cref="Kind"/> and the input
/// <see cref="Field"/> it is about. <see cref="Detail"/> is the message the CLI prints; never a stack trace.
/// </summary>
internal sealed record ProblemDocument
{
    public required string Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public required string Detail { get; init; }

    public required string Code { get; init; }

    public required string Kind { get; init; }

    public string? Field { get; init; }
}
