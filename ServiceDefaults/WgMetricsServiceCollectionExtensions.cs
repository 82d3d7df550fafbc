using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WgStream.ServiceDefaults;

public static class WgMetricsServiceCollectionExtensions
{
    /// <summary>Registers <see cref="WgMetrics"/> once, whether the silo, the Api or both (co-hosted) ask.</summary>
    public static IServiceCollection TryAddWgMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<WgMetrics>();
        return services;
    }
}
