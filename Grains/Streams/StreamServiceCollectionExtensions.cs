using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Grains.Streams;

public static class StreamServiceCollectionExtensions
{
    /// <summary>What the stream grains need (thumbnails go through the media adapter, which this registers too).</summary>
    public static IServiceCollection AddWgStreamStreams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamOptions>().Bind(configuration.GetSection(StreamOptions.Section));
        services.AddSingleton<StreamStore>();
        services.TryAddSingleton<IFrameGrabber, FfmpegFrameGrabber>();
        services.AddWgStreamMedia(configuration);
        services.TryAddSingleton<IThumbnailSink, MediaThumbnailSink>();
        return services;
    }
}
