using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WgStream.Grains.Hosting;
using WgStream.Grains.Infrastructure.Telemetry;

namespace WgStream.Api.Hosting;

/// <summary>Bound from the <c>Telemetry</c> section.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>An OTLP collector (e.g. http://otel-collector:4317) for traces and metrics; none when empty.</summary>
    public string? OtlpEndpoint { get; set; }
}

/// <summary>OpenTelemetry metrics and traces (ASP.NET Core, Orleans, runtime, ours), <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>.</summary>
public static class Observability
{
    public static IServiceCollection AddWgStreamObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddWgMetrics();
        var telemetry = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new();
        var otel = services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("Microsoft.Orleans")
                    .AddMeter(WgMetrics.MeterName)
                    .AddPrometheusExporter();
                if (telemetry.OtlpEndpoint is { Length: > 0 } endpoint)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
                }
            });
        if (telemetry.OtlpEndpoint is { Length: > 0 } collector)
        {
            // Only with somewhere to send them: a listener makes every request and grain call build
            // an Activity with its tags (8 % of the bytes a channel-page read allocated), for nobody.
            otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics"))
                .AddSource("Microsoft.Orleans.Runtime")
                .AddSource("Microsoft.Orleans.Application")
                .AddOtlpExporter(o => o.Endpoint = new Uri(collector)));
        }

        return services;
    }

    public static WebApplication MapWgStreamHealth(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        // Liveness: the process answers. Readiness: it can do its job (database, cluster, Redis).
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", ReadyAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>();
        var cluster = configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new();
        await CheckAsync(checks, "cluster", async () =>
        {
            var hosts = await services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            return hosts.Count > 0 ? $"{hosts.Count} active silo(s)" : throw new InvalidOperationException("no active silo");
        });
        if (services.GetService<NpgsqlDataSource>() is { } database)
        {
            await CheckAsync(checks, "database", async () =>
            {
                await using var command = database.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return "ok";
            });
        }

        if (cluster.UseRedis)
        {
            await CheckAsync(checks, "redis", async () =>
            {
                await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(cluster.Redis);
                return $"{(await redis.GetDatabase().PingAsync()).TotalMilliseconds:F1} ms";
            });
        }

        // A node still warming up (WarmUp) takes no traffic yet; it says so instead of failing a check.
        checks["warm-up"] = services.GetService<WarmUp>()?.Summary ?? "off";
        var ready = checks.Values.All(v => !v.StartsWith("failed", StringComparison.Ordinal));
        return Results.Json(new { status = ready ? "ready" : "not ready", checks }, statusCode: ready ? 200 : 503);
    }

    private static async Task CheckAsync(Dictionary<string, string> checks, string name, Func<Task<string>> check)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            checks[name] = await check().WaitAsync(timeout.Token);
        }
        catch (Exception e)
        {
            // The reason, not the stack: this endpoint is for load balancers and operators.
            checks[name] = $"failed: {e.GetType().Name}";
        }
    }
}
