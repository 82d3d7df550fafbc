using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Gateways.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="MediaOptions"/> from the <c>Media</c> section (checked at start) and the
    /// <see cref="IMediaStore"/> that <see cref="MediaOptions.Store"/> names. Safe to call more than once
    /// (an Api that co-hosts a silo does): the store and the validator are registered once.
    /// </summary>
    public static IServiceCollection AddWgStreamMediaStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>()
            .Bind(configuration.GetSection(MediaOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MediaOptions>, CheckedOptionsValidator<MediaOptions>>());
        services.TryAddSingleton<IMediaStore>(sp => sp.GetRequiredService<IOptions<MediaOptions>>().Value.UsesS3
            ? ActivatorUtilities.CreateInstance<S3MediaStore>(sp)
            : ActivatorUtilities.CreateInstance<LocalDiskMediaStore>(sp));
        return services;
    }
}
