using WgStream.Api.GraphQL;
using WgStream.Api.Streams.LiveKit;
using WgStream.Gateways.LiveKit;
using WgStream.Gateways.Janus;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Api.Streams;

/// <summary>Going live: stream keys and settings over GraphQL, nginx-rtmp's ingest callbacks, the HLS workers, WebRTC (Janus) and LiveKit, viewer presence and raids.</summary>
public static class StreamsApi
{
    public static IServiceCollection AddStreamsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamOptions>().Bind(configuration.GetSection(StreamOptions.Section));
        services.AddOptions<LiveKitOptions>().Bind(configuration.GetSection(LiveKitOptions.Section));
        services.AddSingleton<LiveKitTokens>();
        services.AddHttpClient<LiveKitTwirp>(http => http.Timeout = TimeSpan.FromSeconds(15));
        services.AddTransient<LiveKitIngressClient>();
        services.AddTransient<LiveKitRoomClient>();
        services.AddSingleton<LiveKitRooms>();
        services.AddSingleton<LiveKitLivenessPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveKitLivenessPoller>());
        services.AddSingleton<ViewerPresence>();
        services.AddHostedService(sp => sp.GetRequiredService<ViewerPresence>());
        services.AddOptions<JanusOptions>().Bind(configuration.GetSection(JanusOptions.Section));
        services.AddHttpClient(nameof(JanusStreamingClient), http => http.Timeout = TimeSpan.FromSeconds(5));
        services.AddSingleton<JanusStreamingClient>();
        services.AddSingleton<WebRtc.WebRtcAccess>();
        services.AddSingleton<Transcoding.TranscodeSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<Transcoding.TranscodeSupervisor>());
        services.AddSingleton<ISchemaContributor, StreamSchema>();
        services.AddSingleton<ISchemaContributor, RaidSchema>();
        return services;
    }

    public static WebApplication MapStreamsApi(this WebApplication app) => app.MapWgStreamStreams();
}
