using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace WgStream.GrainInterfaces.Chat;

public static class EmoteOptionsRegistration
{
    /// <summary>
    /// Binds <see cref="EmoteOptions"/> and checks them at start, once: silos process emotes, Api
    /// nodes bound uploads and show the limits, and a co-hosting Api is both.
    /// </summary>
    public static IServiceCollection AddEmoteOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<EmoteOptions>) && d.ImplementationType == typeof(EmoteOptionsValidator)))
        {
            return services;
        }

        services.AddOptions<EmoteOptions>()
            .Bind(configuration.GetSection(EmoteOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmoteOptions>, EmoteOptionsValidator>();
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
