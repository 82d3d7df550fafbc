using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WgStream.ServiceDefaults;

/// <summary>
/// OpenTelemetry metrics always (HttpClient, Npgsql, Orleans, runtime, ours: the Api's
/// <c>/metrics</c> and the silo's scrape read them), and traces, logs and an OTLP export of all three
/// when a collector is named by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or its alias
/// <c>Telemetry:OtlpEndpoint</c>). The other <c>OTEL_*</c> variables (service name, protocol,
/// headers, resource attributes) are read by OpenTelemetry itself.
/// </summary>
public static class WgTelemetry
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>Whether a collector is named: tracing is on only then (see <see cref="AddWgTelemetry"/>).</summary>
    public static bool Exports(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);

    public static IHostApplicationBuilder AddWgTelemetry(this IHostApplicationBuilder builder, string ownMeter)
    {
        var configuration = builder.Configuration;
        var alias = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.OtlpEndpoint;
        if (!Exports(configuration) && !string.IsNullOrWhiteSpace(alias))
        {
            // The exporter reads the standard key from configuration: the older setting becomes it.
            configuration.AddInMemoryCollection([new(OtlpEndpointVariable, alias)]);
        }

        var otel = builder.Services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            // WgStream.Api or WgStream.Silo rather than unknown_service; OTEL_SERVICE_NAME overrides it.
            otel.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName));
        }

        otel.WithMetrics(metrics => metrics
            .AddRuntimeInstrumentation()
            .AddHttpClientInstrumentation()
            .AddNpgsqlInstrumentation()
            .AddMeter("Microsoft.Orleans")
            .AddMeter(ownMeter));

        if (Exports(configuration))
        {
            // Only with somewhere to send them: a listener makes every request, grain call and query
            // build an Activity with its tags (8 % of the bytes a channel-page read allocated), and
            // every log line a record, for nobody. UseOtlpExporter turns on traces and logs itself.
            otel.WithTracing(tracing => tracing
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(OrleansSources));
            builder.Logging.AddOpenTelemetry(logs =>
            {
                logs.IncludeFormattedMessage = true;
                logs.IncludeScopes = true;
            });
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
