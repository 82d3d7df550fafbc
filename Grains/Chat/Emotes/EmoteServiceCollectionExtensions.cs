using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WgStream.Grains.Infrastructure.Media;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat.Emotes;

public static class EmoteServiceCollectionExtensions
{
    /// <summary>
    /// A silo's emote services: <see cref="EmoteOptions"/>, the store, this node's emote cache and
    /// the upload processing (<see cref="EmoteImageProcessor"/>, with the media services it needs).
    /// Api nodes bind only the options (<see cref="EmoteOptionsRegistration.AddEmoteOptions"/>):
    /// uploads are processed by <c>ChannelMediaGrain</c> on a silo. Registrations are made once.
    /// </summary>
    public static IServiceCollection AddWgStreamEmotes(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(EmoteImageProcessor)))
        {
            return services;
        }

        services.AddEmoteOptions(configuration);
        services.AddWgStreamImageProcessing(configuration);
        services.TryAddSingleton<EmoteStore>();
        services.TryAddSingleton<ChannelEmoteCache>();
        services.TryAddSingleton<AnimatedEmoteEncoder>();
        services.TryAddSingleton<EmoteImageProcessor>();
        return services;
    }
}
