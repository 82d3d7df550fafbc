using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Common;

namespace WgStream.GrainInterfaces.Chat;

public static class EmoteOptionsRegistration
{
    /// <summary>
    /// Binds <see cref="EmoteOptions"/> and checks them at start: silos process emotes, Api nodes
    /// bound uploads and show the limits, and a co-hosting Api is both (binding its scalars twice
    /// changes nothing; the check is registered once).
    /// </summary>
    public static IServiceCollection AddEmoteOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmoteOptions>()
            .Bind(configuration.GetSection(EmoteOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmoteOptions>, CheckedOptionsValidator<EmoteOptions>>());
        return services;
    }
}
