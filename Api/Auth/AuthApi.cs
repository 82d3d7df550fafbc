using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Auth;

/// <summary>Who is calling: session cookies and tokens, origin checks, rate limits, and the sockets a session holds open.</summary>
public static class AuthApi
{
    public static IServiceCollection AddAuthApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section));
        services.AddSingleton<OriginPolicy>();
        services.AddOptions<SessionCookieOptions>().Configure(o =>
            o.Lifetime = configuration.GetSection(AccountOptions.Section).Get<AccountOptions>()?.SessionLifetime ?? o.Lifetime);
        services.AddSingleton<SessionAuthenticator>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<WebSocketRegistry>();
        services.AddHostedService<SessionRevocationListener>();
        services.AddOptions<SessionSocketOptions>().Bind(configuration.GetSection(AccountOptions.Section));
        services.AddHostedService<SessionSocketSweep>();
        // Admin status is read by several features' schemas, and by the Orleans dashboard's gate.
        services.AddAdminOptions(configuration);
        services.AddSingleton<Operators>();
        return services;
    }
}
