using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Videos;

namespace WgStream.Grains.Videos;

public static class VideosModule
{
    /// <summary>Recorded broadcasts on a silo: options (checked at start), the store and the sweep of failed or expired recordings.</summary>
    public static ISiloBuilder AddVideos(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<VideoOptions>()
            .Bind(configuration.GetSection(VideoOptions.Section))
            .Validate(o => !o.Problems().Any(), "Invalid Videos settings (see docs/media.md).")
            .ValidateOnStart();
        services.AddSingleton<VideoStore>();
        services.AddSingleton<VideoSweepService>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoSweepService>());
        return silo;
    }
}
