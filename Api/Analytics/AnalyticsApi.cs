using WgStream.Api.GraphQL;

namespace WgStream.Api.Analytics;

public static class AnalyticsApi
{
    /// <summary>The analytics schema; the reads run in the silos (<c>IAnalyticsReaderGrain</c>), so a client-mode Api node needs nothing else.</summary>
    public static IServiceCollection AddAnalyticsApi(this IServiceCollection services)
    {
        services.AddSingleton<ISchemaContributor, AnalyticsSchema>();
        return services;
    }
}
