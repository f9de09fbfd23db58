using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fireline.Cli.Api;
using Fireline.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Fireline.Cli.Daemon;

/// <summary>
/// Wraps every request, after routing: the bearer token on the TCP listener, the log scope (operation and VM id),
/// and the one place where errors become problem JSON (<see cref="ProblemMapping"/>): a domain error with its
/// code (the engine lets no kernel error out), an unknown route or method, and anything unexpected as a bare
/// 500 whose details go to the log only, never to the client.
/// </summary>
internal sealed class RequestPipeline(ILogger logger, byte[]? token, int? metricsPort)
{
    private const string ProblemType = "application/problem+json";

    // Anyone who can reach a TCP port can be refused at will: those refusals are counted, not logged one by one.
    private readonly ThrottledLog _unauthorized = new(logger, "refused with unauthorized");
    private readonly ThrottledLog _offMetrics = new(logger, "refused on the metrics listener");

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var endpoint = http.GetEndpoint();
        var operation = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "http";
        var vmId = operation.StartsWith("vm.", StringComparison.Ordinal) && http.Request.RouteValues.TryGetValue("id", out var id) ? id as string : null;
        using (logger.BeginScope(new LogScope(operation, vmId)))
        {
            try
            {
                if (OnMetricsListener(http))
                {
                    // The scrape listener answers GET /metrics and nothing else: no token, no way into the API.
                    if (operation != "metrics" || !HttpMethods.IsGet(http.Request.Method))
                    {
                        await RefuseUnlogged(http, _offMetrics, ApiErrors.RouteNotFound(http.Request.Method, http.Request.Path)).ConfigureAwait(false);
                        return;
                    }

                    TcpAdmission.Admit(http);
                }
                else if (!Authorized(http))
                {
                    http.Response.Headers.WWWAuthenticate = "Bearer";
                    await RefuseUnlogged(http, _unauthorized, ApiErrors.Unauthorized()).ConfigureAwait(false);
                    return;
                }
                else
                {
                    TcpAdmission.Admit(http);
                }

                if (endpoint is null)
                {
                    throw ApiErrors.RouteNotFound(http.Request.Method, http.Request.Path);
                }

                await next(http).ConfigureAwait(false);
                if (http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !http.Response.HasStarted)
                {
                    throw ApiErrors.MethodNotAllowed(http.Request.Method, http.Request.Path);
                }
            }
            catch (FirelineException error)
            {
                await Refuse(http, error).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException && !http.Response.HasStarted)
            {
                DaemonLog.Crashed(logger, error);
                await Write(http, new ProblemDocument
                {
                    Type = "urn:fireline:error:internal-error",
                    Title = "Internal error",
                    Status = StatusCodes.Status500InternalServerError,
                    Detail = "the daemon failed unexpectedly; its log has the details",
                    Code = "internal-error",
                    Kind = "internal",
                }).ConfigureAwait(false);
            }

            DaemonLog.Request(logger, http.Request.Method, http.Request.Path, http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private bool OnMetricsListener(HttpContext http) => metricsPort is { } port && http.Connection.LocalIpAddress is not null && http.Connection.LocalPort == port;

    /// <summary>The Unix socket is guarded by its file mode; a TCP connection must carry the token.</summary>
    private bool Authorized(HttpContext http)
    {
        if (token is null || http.Connection.LocalIpAddress is null)
        {
            return true;
        }

        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.Ordinal) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), token);
    }

    /// <summary>A refusal any TCP client can provoke: counted in <paramref name="log"/>, with no line of its own (nor a request line).</summary>
    private static async Task RefuseUnlogged(HttpContext http, ThrottledLog log, FirelineException error)
    {
        log.Add($"{http.Request.Method} {http.Request.Path} from {http.Connection.RemoteIpAddress}");
        await Write(http, ProblemMapping.ToProblem(error)).ConfigureAwait(false);
    }

    private async Task Refuse(HttpContext http, FirelineException error)
    {
        if (http.Response.HasStarted)
        {
            throw error; // the answer is half sent: only dropping the connection tells the client
        }

        DaemonLog.Refused(logger, error.Code, error.Message);
        await Write(http, ProblemMapping.ToProblem(error)).ConfigureAwait(false);
    }

    private static async Task Write(HttpContext http, ProblemDocument problem)
    {
        http.Response.StatusCode = problem.Status;
        http.Response.ContentType = ProblemType;
        await JsonSerializer.SerializeAsync(http.Response.Body, problem, ApiJson.Default.ProblemDocument, http.RequestAborted).ConfigureAwait(false);
    }
}
