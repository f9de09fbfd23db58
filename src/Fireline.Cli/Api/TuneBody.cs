namespace Fireline.Cli.Api;

/// <summary>
/// The body of <c>POST /v1/host/tune</c>: <c>{apply?}</c>. The daemon shows and applies the profile but writes no
/// file: <c>fireline host tune --write</c> writes the one sysctl.d file from the CLI's own process.
/// </summary>
internal sealed record TuneBody
{
    public bool Apply { get; init; }

    /// <summary>Known only to be refused with the way to write the file: the daemon writes no file a client names.</summary>
    public string? WriteFile { get; init; }
}
