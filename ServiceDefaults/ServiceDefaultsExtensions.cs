using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WgStream.ServiceDefaults;

/// <summary>What every WG-Stream process sets up the same way: the Api and the standalone silo.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// OpenTelemetry (<see cref="WgTelemetry"/>) and the health-check service (<see cref="HealthEndpoints"/>);
    /// call it after the <c>WG_</c> variables are added, since it reads <c>Telemetry:*</c>.
    /// </summary>
    /// <param name="ownMeter">The platform's meter (<c>WgMetrics.MeterName</c>): passed in, because
    /// the grains that define it depend on nothing of this project's and this one on nothing of theirs.</param>
    public static TBuilder AddWgServiceDefaults<TBuilder>(this TBuilder builder, string ownMeter)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddWgTelemetry(ownMeter);
        builder.Services.AddHealthChecks();
        return builder;
    }
}
