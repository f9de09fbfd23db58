namespace Fireline.Cli.Api;

/// <summary>
/// The body of <c>POST /v1/host/tune</c>: <c>{apply?}</c>. The daemon shows and applies the profile but writes no
/// file: <c>fireline host tune --write</c> writes the one sysctl.d file from the CLI's own process.
/// </summary>
internal sealed class TuneBody : StrictBody
{
    public bool? Apply { get; init; }

    public override void Validate(string path)
    {
        if (Unknown?.ContainsKey("writeFile") == true)
        {
            throw ApiErrors.InvalidBody(Join(path, "writeFile"),
                "'writeFile' is not accepted: the daemon writes no files; run 'fireline host tune --write' on the host to write the sysctl.d file");
        }

        RefuseUnknown(path, "apply");
    }
}
