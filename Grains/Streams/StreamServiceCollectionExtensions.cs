using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WgStream.Grains.Streams;

public static class StreamServiceCollectionExtensions
{
    /// <summary>What the stream grains need. The thumbnail sink is only a default: register an <see cref="IThumbnailSink"/> before this to replace it.</summary>
    public static IServiceCollection AddWgStreamStreams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StreamOptions>().Bind(configuration.GetSection(StreamOptions.Section));
        services.AddSingleton<StreamStore>();
        services.AddSingleton<StreamKeyProtector>();
        services.TryAddSingleton<IFrameGrabber, FfmpegFrameGrabber>();
        services.TryAddSingleton<IThumbnailSink, LocalThumbnailSink>();
        return services;
    }
}
