using System.Reflection;
using Fireline.Cli.Api;
using Microsoft.AspNetCore.Http;

namespace Fireline.Cli.Daemon;

/// <summary>The daemon itself: health and the API's description.</summary>
internal static class SystemResource
{
    private static readonly string Version =
        typeof(SystemResource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary><c>GET /healthz</c>: answered only once start-up reconcile is done, since the socket opens after it.</summary>
    public static IResult Health() => Results.Json(new HealthDocument("ok", Version), ApiJson.Default.HealthDocument);

    /// <summary><c>GET /openapi.json</c>: the hand-written OpenAPI 3.1 document, embedded in the binary.</summary>
    public static IResult OpenApi()
    {
        var stream = typeof(SystemResource).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("openapi.json is not embedded in this build");
        return Results.Stream(stream, "application/json");
    }
}
