using Microsoft.Extensions.DependencyInjection.Extensions;
using WgStream.Api.GraphQL;
using WgStream.Grains.Accounts;

namespace WgStream.Api.Accounts;

/// <summary>Sign-up, login, 2FA, sessions with their locations, account lifecycle, and user blocks.</summary>
public static class AccountsApi
{
    public static IServiceCollection AddAccountsApi(this IServiceCollection services, IConfiguration configuration)
    {
        // For the cost of a login that names no account (the silo registers its own; a client node needs one).
        services.TryAddSingleton<PasswordHasher>();
        services.AddOptions<GeoOptions>().Bind(configuration.GetSection(GeoOptions.Section));
        services.AddSingleton<GeoLocator>();
        services.AddSingleton<ISchemaContributor, AccountSchema>();
        services.AddSingleton<ISchemaContributor, AccountLifecycleSchema>();
        services.AddSingleton<ISchemaContributor, UserBlockSchema>();
        services.AddSingleton<ViewerBlocks>();
        services.AddHostedService(sp => sp.GetRequiredService<ViewerBlocks>());
        return services;
    }
}
