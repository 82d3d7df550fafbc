using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WgStream.Grains.Analytics;

public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>
    /// What the grains need for analytics: the options (validated at start), the store, this silo's
    /// writer (a hosted service) and the samplers' factory; the maintenance pass runs on silos only
    /// (<see cref="AddWgStreamAnalyticsMaintenance"/>).
    /// </summary>
    public static IServiceCollection AddWgStreamAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnalyticsOptions>()
            .Bind(configuration.GetSection(AnalyticsOptions.Section))
            .Validate(o => !o.Problems().Any(), "Invalid Analytics settings (see docs/analytics.md).")
            .ValidateOnStart();
        services.AddSingleton<AnalyticsStore>();
        services.AddSingleton<BroadcastFinalizer>();
        services.AddSingleton<AnalyticsWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AnalyticsWriter>());
        services.AddSingleton<BroadcastSampling>();
        return services;
    }

    public static IServiceCollection AddWgStreamAnalyticsMaintenance(this IServiceCollection services)
    {
        services.AddSingleton<AnalyticsMaintenance>();
        services.AddHostedService(sp => sp.GetRequiredService<AnalyticsMaintenance>());
        return services;
    }
}
