using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace WgStream.Api.Hosting;

/// <summary>
/// <c>X-Forwarded-For</c>/<c>-Proto</c> are honoured only from the proxies and networks listed in
/// <see cref="HttpOptions.TrustedProxies"/>: anyone else could claim any address and walk around the
/// per-address rate limits, or fake HTTPS. The client's address is the first one, walking back from
/// the Api, that is not a trusted proxy (a load balancer in front of an ingress both count).
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddWgForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HttpOptions>>((forwarded, http) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            forwarded.ForwardLimit = null;
            foreach (var entry in http.Value.TrustedProxies.Where(e => !string.IsNullOrWhiteSpace(e)))
            {
                if (entry.Contains('/', StringComparison.Ordinal))
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry.Trim()));
                }
                else
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(entry.Trim()));
                }
            }
        });
        return services;
    }

    public static WebApplication UseWgForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<HttpOptions>>().Value.TrustedProxies.Any(e => !string.IsNullOrWhiteSpace(e)))
        {
            app.UseForwardedHeaders();
        }
        else
        {
            app.UseMiddleware<UntrustedForwardedHeaders>();
        }

        return app;
    }
}

/// <summary>Says once, when the first request arrives with forwarded headers and no proxy is trusted, that they are being ignored.</summary>
public sealed partial class UntrustedForwardedHeaders(RequestDelegate next, ILogger<UntrustedForwardedHeaders> logger)
{
    private int warned;

    public Task InvokeAsync(HttpContext http)
    {
        if (http.Request.Headers.ContainsKey("X-Forwarded-For") && Interlocked.Exchange(ref warned, 1) == 0)
        {
            LogIgnored(http.Connection.RemoteIpAddress?.ToString());
        }

        return next(http);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Requests arrive with X-Forwarded-For (first from {Proxy}) but Http:TrustedProxies is empty: the headers are ignored, and every client behind that proxy shares its address (rate limits, sessions). List the proxy's address or network to honour them. Said once.")]
    private partial void LogIgnored(string? proxy);
}
