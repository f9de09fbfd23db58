namespace Fireline.Cli.Api;

/// <summary><c>GET /healthz</c>: the daemon is up, has reconciled, and serves requests.</summary>
internal sealed record HealthDocument(string Status, string Version);
