using System.Text.Json.Serialization;
using Fireline.Addressing;

namespace Fireline.Policy;

/// <summary>A host port on the uplink address forwarded (DNAT) to a VM's port.</summary>
public sealed record PortForward
{
    public required VmId VmId { get; init; }

    public required ForwardProtocol Protocol { get; init; }

    public required int HostPort { get; init; }

    public required int VmPort { get; init; }

    /// <summary>The VM's address the forward points at.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VmAddress { get; init; }
}
