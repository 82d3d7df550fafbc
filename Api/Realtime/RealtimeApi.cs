namespace WgStream.Api.Realtime;

/// <summary>This node's one subscription per live feed, shared by its SignalR and GraphQL subscribers.</summary>
public static class RealtimeApi
{
    public static IServiceCollection AddRealtimeApi(this IServiceCollection services)
    {
        services.AddSingleton<NodeFeeds>();
        return services;
    }
}
