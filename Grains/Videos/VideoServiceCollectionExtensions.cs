using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WgStream.Grains.Videos;

public static class VideoServiceCollectionExtensions
{
    /// <summary>What the video grains need; the sweep runs on silos only (see <see cref="AddWgStreamVideoSweep"/>).</summary>
    public static IServiceCollection AddWgStreamVideos(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VideoOptions>()
            .Bind(configuration.GetSection(VideoOptions.Section))
            .Validate(o => !o.Problems().Any(), "Invalid Videos settings (see docs/media.md).")
            .ValidateOnStart();
        services.AddSingleton<VideoStore>();
        return services;
    }

    public static IServiceCollection AddWgStreamVideoSweep(this IServiceCollection services)
    {
        services.AddSingleton<VideoSweepService>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoSweepService>());
        return services;
    }
}
