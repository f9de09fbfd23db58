using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fireline.Attachments;
using Fireline.Cluster;
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
[JsonSerializable(typeof(Demo.DemoReport))]
[JsonSerializable(typeof(AttachmentRecord))]
[JsonSerializable(typeof(AttachmentCheck))]
[JsonSerializable(typeof(AttachmentDeleteResult))]
[JsonSerializable(typeof(AttachmentGcResult))]
[JsonSerializable(typeof(ClusterStatus))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>
    /// The context the CLI and the daemon write with: like <see cref="Default"/>, but text is not escaped beyond what
    /// JSON requires, so messages read 'like this' rather than \u0027like this\u0027.
    /// </summary>
    /// <remarks>Built on first use: the generated <see cref="Default"/> is not there yet while static fields initialize.</remarks>
    public static CliJson Output => field ??= new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>
    /// What the daemon answers with: <see cref="Output"/> without the indentation, which is for people (a list of
    /// 10,000 VM records is a quarter smaller, and written in less time).
    /// </summary>
    public static CliJson Api => field ??= new(new JsonSerializerOptions(Output.Options) { WriteIndented = false });
}

/// <summary><c>{"error":{"code","message"}}</c>, what the CLI prints to stderr with <c>-o json</c>.</summary>
internal sealed record ErrorDocument(ErrorBody Error);

internal sealed record ErrorBody(string Code, string Message, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field);
