using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Gateways.Media;

public static class FrameGrabberRegistration
{
    /// <summary>
    /// The ffmpeg <see cref="IFrameGrabber"/> with <see cref="StreamOptions.FfmpegPath"/>, unless one is
    /// registered already: silos need it for live thumbnails, and Api nodes beside their HLS workers.
    /// </summary>
    public static IServiceCollection AddFfmpegFrameGrabber(this IServiceCollection services)
    {
        services.TryAddSingleton<IFrameGrabber>(sp => new FfmpegFrameGrabber(
            sp.GetRequiredService<IOptions<StreamOptions>>().Value.FfmpegPath,
            sp.GetRequiredService<ILogger<FfmpegFrameGrabber>>()));
        return services;
    }
}
