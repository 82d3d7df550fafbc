using Microsoft.Extensions.Options;
using WgStream.Api.Streams.LiveKit;
using WgStream.Api.Streams.WebRtc;
using WgStream.Gateways.Media;
using WgStream.Gateways.LiveKit;
using WgStream.Gateways.Janus;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Api.Hosting;

/// <summary>
/// Headers every response carries: no MIME sniffing, no referrer beyond the origin to other sites,
/// never framed by another site, HSTS over HTTPS, and a Content-Security-Policy that lets the web
/// client load only its own scripts and talk only to this site, the HLS server (hls.js fetches
/// playlists and segments, and runs a worker from a blob), Janus or LiveKit (the WebRTC players'
/// signalling) and the media store (images).
/// GraphiQL (<c>/graphiql</c>, bundled into the web root) gets a policy of its own: only this site,
/// with the inline styles and data: fonts and images its editor uses.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IOptions<StreamOptions> streams, IOptions<JanusOptions> janus, IOptions<LiveKitOptions> liveKit, IMediaStore media)
{
    private const string GraphiQLPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

    private readonly string appPolicy = AppPolicy(streams.Value, janus.Value, liveKit.Value, media);

    public Task InvokeAsync(HttpContext http)
    {
        // When the response starts, not now: the exception handler clears headers set before it ran.
        http.Response.OnStarting(static state =>
        {
            var (context, policy) = ((HttpContext, string))state;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/graphiql") ? GraphiQLPolicy : policy;
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return Task.CompletedTask;
        }, (http, appPolicy));
        return next(http);
    }

    private static string AppPolicy(StreamOptions streams, JanusOptions janus, LiveKitOptions liveKit, IMediaStore media)
    {
        var hls = Origin(streams.HlsBaseUrl);
        // The low-latency player talks to Janus's HTTP API; the media itself is WebRTC, which CSP does not govern.
        var janusApi = janus.Enabled ? Origin((janus.PublicUrl ?? janus.Url)!) : "";
        // The LiveKit player signals over a WebSocket (ws/wss) and, when that fails, asks the same
        // server over http(s) why.
        var liveKitServer = streams.UsesLiveKit && liveKit.IsConfigured ? Origin(liveKit.Url) + Origin(liveKit.ClientUrl) : "";
        var images = Origin(media.PublicUrl("probe"));
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            // React sets style attributes; no script can come in through them.
            "style-src 'self' 'unsafe-inline'",
            $"img-src 'self' data: blob:{images}{hls}",
            // Clips are MP4 files played straight from the media store.
            $"media-src 'self' blob:{images}{hls}",
            $"connect-src 'self'{hls}{janusApi}{liveKitServer}",
            "worker-src 'self' blob:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    }

    /// <summary>" scheme://host:port" for an absolute http(s) or ws(s) URL, or nothing for a path on this site.</summary>
    private static string Origin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss" ? " " + uri.GetLeftPart(UriPartial.Authority) : "";
}
