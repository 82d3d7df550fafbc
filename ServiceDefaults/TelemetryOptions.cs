namespace WgStream.ServiceDefaults;

/// <summary>Bound from the <c>Telemetry</c> section (the standard <c>OTEL_*</c> variables work too: docs/operations.md).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// An OTLP collector (e.g. http://otel-collector:4317) for traces, metrics and logs; none when
    /// empty. An alias of the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, which wins when both are set.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// The port a standalone silo serves its Prometheus scrape on (<c>http://host:port/metrics</c>);
    /// 0 for none, so silos started side by side never compete for one. The compose and Kubernetes
    /// silos use 9464; <c>./wg run --cluster N</c> gives silo i 9463 + i. The Api serves its own on
    /// its HTTP port.
    /// </summary>
    public int SiloMetricsPort { get; set; }
}
