using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WgStream.Gateways.Media;

namespace WgStream.Grains.Infrastructure.Media;

public static class ImageProcessingServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="ImageProcessor"/> with its <see cref="DecodeGate"/>, and the media store they need
    /// (<see cref="MediaServiceCollectionExtensions.AddWgStreamMediaStore"/>: <see cref="MediaOptions"/>,
    /// whose limits the processor applies, and the <see cref="IMediaStore"/>).
    /// </summary>
    public static IServiceCollection AddWgStreamImageProcessing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWgStreamMediaStore(configuration);
        services.TryAddSingleton<DecodeGate>(); // one per process: the decode budget is the node's
        services.TryAddSingleton<ImageProcessor>();
        return services;
    }
}
