namespace Fireline.Cli.Api;

/// <summary>
/// The body of <c>POST /v1/vms/{id}/forwards</c>: <c>{hostPort, vmPort, protocol?, allowPrivilegedPort?}</c>
/// (protocol tcp by default; a host port below 1024 only with <c>allowPrivilegedPort: true</c>).
/// </summary>
internal sealed class ForwardBody : StrictBody
{
    public const string DefaultProtocol = "tcp";

    public int? HostPort { get; init; }

    public int? VmPort { get; init; }

    public string? Protocol { get; init; }

    public bool? AllowPrivilegedPort { get; init; }

    public override void Validate(string path)
    {
        RefuseUnknown(path, "hostPort", "vmPort", "protocol", "allowPrivilegedPort");
        if (HostPort is null)
        {
            throw ApiErrors.RequiredField(Join(path, "hostPort"));
        }

        if (VmPort is null)
        {
            throw ApiErrors.RequiredField(Join(path, "vmPort"));
        }
    }
}
