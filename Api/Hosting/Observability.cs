using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WgStream.Hosting;
using WgStream.ServiceDefaults;

namespace WgStream.Api.Hosting;

/// <summary>
/// What the Api adds to the service defaults (Program: <c>AddWgServiceDefaults</c>): ASP.NET Core
/// metrics and traces, <c>/metrics</c>, and the readiness checks behind <c>/readyz</c>.
/// </summary>
public static class Observability
{
    public static IServiceCollection AddWgStreamObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddWgMetrics();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        // Takes effect only where the defaults switched tracing on (a collector is named).
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics")));

        // Readiness: the node can do its job (cluster, database, Redis) and has warmed up.
        var cluster = configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new();
        var checks = services.AddHealthChecks().AddReadinessCheck<ClusterReadinessCheck>("cluster");
        if (!cluster.ApiIsClient)
        {
            // Only a co-hosted silo gives this node a database of its own to reach.
            checks.AddReadinessCheck<DatabaseReadinessCheck>("database");
        }

        if (cluster.UseRedis)
        {
            services.AddSingleton(new RedisConnection(cluster.Redis));
            checks.AddReadinessCheck<RedisReadinessCheck>("redis");
        }

        checks.AddReadinessCheck<WarmUpReadinessCheck>("warm-up");
        return services;
    }

    public static WebApplication MapWgStreamHealth(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapWgHealthEndpoints();
        return app;
    }
}
