using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WgStream.Grains.Analytics;

public static class AnalyticsModule
{
    /// <summary>
    /// Creator analytics on a silo: the options (validated at start), the store, this silo's writer
    /// (a hosted service), the samplers' factory and the maintenance pass (roll-ups and retention).
    /// </summary>
    public static ISiloBuilder AddAnalytics(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<AnalyticsOptions>()
            .Bind(configuration.GetSection(AnalyticsOptions.Section))
            .Validate(o => !o.Problems().Any(), "Invalid Analytics settings (see docs/analytics.md).")
            .ValidateOnStart();
        services.AddSingleton<AnalyticsStore>();
        services.AddSingleton<BroadcastFinalizer>();
        services.AddSingleton<AnalyticsWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AnalyticsWriter>());
        services.AddSingleton<BroadcastSampling>();
        services.AddSingleton<AnalyticsMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<AnalyticsMaintenance>());
        return silo;
    }
}
