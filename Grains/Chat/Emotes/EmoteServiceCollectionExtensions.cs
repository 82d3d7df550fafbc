using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Grains.Chat.Emotes;

public static class EmoteServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="EmoteOptions"/> (checked at start), the store and this node's emote cache, and the
    /// upload processing (<see cref="EmoteImageProcessor"/>, with the media services it needs). Both
    /// silos and Api nodes call it (a co-hosting Api twice): registrations are made once.
    /// </summary>
    public static IServiceCollection AddWgStreamEmotes(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(EmoteImageProcessor)))
        {
            return services;
        }

        services.AddOptions<EmoteOptions>()
            .Bind(configuration.GetSection(EmoteOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmoteOptions>, EmoteOptionsValidator>());
        services.AddWgStreamImageProcessing(configuration);
        services.TryAddSingleton<EmoteStore>();
        services.TryAddSingleton<ChannelEmoteCache>();
        services.TryAddSingleton<AnimatedEmoteEncoder>();
        services.TryAddSingleton<EmoteImageProcessor>();
        return services;
    }

    private sealed class EmoteOptionsValidator : IValidateOptions<EmoteOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmoteOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
