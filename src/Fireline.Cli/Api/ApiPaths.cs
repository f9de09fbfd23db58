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

    /// <summary>A VM's path; the id is checked first, so only a valid id (URL-safe by its rules) reaches a URL.</summary>
    public static string Vm(string vmId) => $"{Vms}/{VmId.Parse(vmId).Value}";

    public static string Network(string name) => $"{Networks}/{Uri.EscapeDataString(name)}";
}
