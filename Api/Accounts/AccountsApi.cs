using WgStream.Api.GraphQL;

namespace WgStream.Api.Accounts;

/// <summary>Sign-up, login, 2FA, sessions with their locations, account lifecycle, and user blocks.</summary>
public static class AccountsApi
{
    public static IServiceCollection AddAccountsApi(this IServiceCollection services, IConfiguration configuration)
    {
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
