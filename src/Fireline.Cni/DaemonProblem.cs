namespace Fireline.Cni;

/// <summary>What the plugin reads of the daemon's problem JSON (see <see cref="DaemonConnection.ToCni"/>): the stable code, kind, field and message.</summary>
internal sealed record DaemonProblem(string? Code, string? Kind, string? Field, string? Detail);
