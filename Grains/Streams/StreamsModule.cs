using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

public static class StreamsModule
{
    /// <summary>
    /// Streams on a silo: options, the store, live thumbnails (through the media adapter, which this
    /// registers too), the recovery of streams whose silo died, and the periodic reconciliation with
    /// what the ingest servers report.
    /// </summary>
    public static ISiloBuilder AddStreams(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<StreamOptions>().Bind(configuration.GetSection(StreamOptions.Section));
        services.AddSingleton<StreamStore>();
        services.AddFfmpegFrameGrabber();
        services.AddWgStreamImageProcessing(configuration);
        services.TryAddSingleton<IThumbnailSink, MediaThumbnailSink>();
        silo.AddStartupTask(StreamRecovery.RunAsync);
        services.AddHostedService<StreamReconciliationService>();
        return silo;
    }
}
