using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WgStream.ServiceDefaults;

/// <summary>
/// <c>/healthz</c> (liveness: the process answers, no check runs) and <c>/readyz</c> (readiness: the
/// checks tagged <see cref="Ready"/>), for load balancers, container health checks and Kubernetes
/// probes. <c>/readyz</c> answers <c>{ "status": "ready" | "not ready", "checks": { name: what it
/// found } }</c>, 200 or 503, with a failure's reason and never its stack.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag that puts a check in <c>/readyz</c>.</summary>
    public const string Ready = "ready";

    /// <summary>How long one readiness check may take before it counts as failed.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    public static IHealthChecksBuilder AddReadinessCheck<TCheck>(this IHealthChecksBuilder checks, string name)
        where TCheck : class, IHealthCheck =>
        checks.AddCheck<TCheck>(name, HealthStatus.Unhealthy, [Ready], CheckTimeout);

    public static IEndpointRouteBuilder MapWgHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (http, _) => http.Response.WriteAsync("ok"),
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = WriteReadinessAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }

    private static Task WriteReadinessAsync(HttpContext http, HealthReport report)
    {
        var checks = report.Entries.ToDictionary(entry => entry.Key, entry => Line(entry.Value));
        var status = report.Status == HealthStatus.Unhealthy ? "not ready" : "ready";
        return http.Response.WriteAsJsonAsync(new { status, checks });
    }

    private static string Line(HealthReportEntry entry) => entry.Status switch
    {
        HealthStatus.Unhealthy => $"failed: {Reason(entry)}",
        _ => entry.Description ?? "ok",
    };

    // The reason, not the stack: this endpoint is for load balancers and operators.
    private static string Reason(HealthReportEntry entry) => entry.Exception switch
    {
        // The health-check service's own timeout (CheckTimeout) cancels the check.
        OperationCanceledException => "timed out",
        { } e => e.GetType().Name,
        null => entry.Description ?? "unhealthy",
    };
}
