using Fireline.Addressing;

namespace Fireline.Cli.Api;

/// <summary>The API's resource paths, shared by the routing table's client side and the OpenAPI document.</summary>
internal static class ApiPaths
{
    public const string Vms = "/v1/vms";
    public const string Networks = "/v1/networks";
    public const string NetworksApply = "/v1/networks:apply";
    public const string Host = "/v1/host";
    public const string Reconcile = "/v1/reconcile";
    public const string Stats = "/v1/stats";
    public const string Doctor = "/v1/doctor";
    public const string Tune = "/v1/host/tune";
    public const string Metrics = "/metrics";
    public const string AttachmentsGc = "/v1/attachments:gc";
    public const string Cluster = "/v1/cluster";

    /// <summary>A VM's path; the id is checked first, so only a valid id (URL-safe by its rules) reaches a URL.</summary>
    public static string Vm(string vmId) => $"{Vms}/{VmId.Parse(vmId).Value}";

    public static string VmStats(string vmId) => Vm(vmId) + "/stats";

    public static string VmPolicy(string vmId) => Vm(vmId) + "/policy";

    /// <summary>The doctor, for the whole host or (with a VM id) one VM.</summary>
    public static string DoctorOf(string? vmId) => vmId is null ? Doctor : $"{Doctor}?vm={VmId.Parse(vmId).Value}";

    public static string Network(string name) => $"{Networks}/{Uri.EscapeDataString(name)}";
}
