using Microsoft.AspNetCore.Http.Features;
using WgStream.ServiceDefaults;

namespace WgStream.Api.Realtime;

/// <summary>
/// Puts a <see cref="CoalescingStream"/> under the WebSocket that ASP.NET Core builds on an upgraded
/// request, so the WebSocket protocol itself stays the framework's. Installed ahead of
/// <c>UseWebSockets</c>, which takes the upgrade feature when the request arrives; the endpoint
/// finds the stream afterwards as a request feature.
/// </summary>
public sealed class CoalescingUpgrade(IHttpUpgradeFeature inner, IFeatureCollection features, int maxHeldBytes, WgMetrics metrics) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        var stream = new CoalescingStream(await inner.UpgradeAsync(), maxHeldBytes, metrics);
        features.Set(stream);
        return stream;
    }

    /// <summary>Wraps the upgrade of requests on <paramref name="path"/>; other upgrades (SignalR's, which batches on its own) are left alone.</summary>
    public static IApplicationBuilder UseFor(IApplicationBuilder app, PathString path, int maxHeldBytes) =>
        app.Use((http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(path) && http.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            {
                http.Features.Set<IHttpUpgradeFeature>(new CoalescingUpgrade(upgrade, http.Features, maxHeldBytes, http.RequestServices.GetRequiredService<WgMetrics>()));
            }

            return next(http);
        });
}
