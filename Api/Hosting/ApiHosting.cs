namespace WgStream.Api.Hosting;

/// <summary>What every Api node has whatever its features: HTTP settings, cluster calls with retry, warm-up, telemetry and proxies.</summary>
public static class ApiHosting
{
    public static IServiceCollection AddApiHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpOptions>().Bind(configuration.GetSection(HttpOptions.Section));
        services.AddOptions<ClusterCallOptions>().Bind(configuration.GetSection(ClusterCallOptions.Section));
        services.AddSingleton<ClusterRetry>();
        services.AddOptions<WarmUpOptions>().Bind(configuration.GetSection(WarmUpOptions.Section));
        services.AddSingleton<WarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<WarmUp>());
        services.AddWgStreamObservability(configuration);
        services.AddWgForwardedHeaders();
        return services;
    }
}

/// <summary>Bound from the <c>Http</c> section.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>
    /// Proxies (<c>10.0.0.5</c>) and networks (<c>10.0.0.0/8</c>) whose X-Forwarded-For/Proto are
    /// honoured: a load balancer or ingress in front of the Api. Empty by default: forwarded headers
    /// are ignored (and the log says so once if they arrive).
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}
