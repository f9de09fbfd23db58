using System.Text.Json.Serialization;
using Fireline.Doctor;
using Fireline.Firecracker;
using Fireline.Host;
using Fireline.Metrics;
using Fireline.Networks;
using Fireline.Policy;
using Fireline.Reconciliation;
using Fireline.Tuning;
using Fireline.Vms;

namespace Fireline.Cli.Output;

/// <summary>
/// The JSON contracts (DESIGN.md): camelCase, the Firecracker object in Firecracker's own names. Source
/// generated, so the AOT-compiled binary needs no reflection. Shared by the CLI, the daemon and its client.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(VmRecord))]
[JsonSerializable(typeof(IReadOnlyList<VmRecord>))]
[JsonSerializable(typeof(VmDeleteResult))]
[JsonSerializable(typeof(HostStatus))]
[JsonSerializable(typeof(ReconcileReport))]
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(NetworkPlan))]
[JsonSerializable(typeof(NetworkView))]
[JsonSerializable(typeof(IReadOnlyList<NetworkView>))]
[JsonSerializable(typeof(PortForward))]
[JsonSerializable(typeof(AttachResult))]
[JsonSerializable(typeof(VmStats))]
[JsonSerializable(typeof(IReadOnlyList<VmStats>))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(TuneReport))]
internal sealed partial class CliJson : JsonSerializerContext;

/// <summary><c>{"error":{"code","message"}}</c>, what the CLI prints to stderr with <c>-o json</c>.</summary>
internal sealed record ErrorDocument(ErrorBody Error);

internal sealed record ErrorBody(string Code, string Message, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field);
