using WgStream.Api.GraphQL;
using WgStream.Gateways.Media;
using WgStream.GrainInterfaces.Videos;

namespace WgStream.Api.Videos;

public static class VideosApi
{
    /// <summary>The videos schema and what this node's recorders need (they run beside the HLS workers).</summary>
    public static IServiceCollection AddVideosApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VideoOptions>().Bind(configuration.GetSection(VideoOptions.Section));
        // Registered by the grain services where this node is also a silo; a cluster client needs its own.
        services.AddFfmpegFrameGrabber();
        services.AddSingleton<ISchemaContributor, VideoSchema>();
        return services;
    }
}
