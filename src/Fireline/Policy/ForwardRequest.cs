namespace Fireline.Policy;

/// <summary>
/// A request for a port forward, and the body of the API's <c>POST /v1/vms/{id}/forwards</c> (<c>{hostPort, vmPort,
/// protocol?, allowPrivilegedPort?}</c>). Validated by the engine, whoever sends it.
/// </summary>
public sealed record ForwardRequest
{
    /// <summary>The port on the host's uplink address.</summary>
    public required int HostPort { get; init; }

    /// <summary>The VM's port it goes to.</summary>
    public required int VmPort { get; init; }

    /// <summary>tcp unless said otherwise.</summary>
    public ForwardProtocol Protocol { get; init; }

    /// <summary>A host port below 1024 (where the host's own services live) is forwarded only when this says so.</summary>
    public bool AllowPrivilegedPort { get; init; }
}
