namespace Fireline.Cli.Api;

/// <summary>The body of <c>POST /v1/host/tune</c>: <c>{apply?, writeFile?}</c>, the options of <c>fireline host tune</c>.</summary>
internal sealed class TuneBody : StrictBody
{
    public bool? Apply { get; init; }

    public string? WriteFile { get; init; }

    public override void Validate(string path) => RefuseUnknown(path, "apply", "writeFile");
}
