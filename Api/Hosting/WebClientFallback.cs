using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WgStream.Api.Previews;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Hosting;

/// <summary>
/// The browser client (built from <c>web/</c> into <c>wwwroot/app/</c>) routes on the client, so
/// any other extensionless path (<c>/alice</c>, <c>/dashboard</c>) answers with its index.html.
/// API paths keep their own 404s. Pages with a link preview (a channel, a video) get their Open Graph
/// and Twitter card tags and title filled in (<see cref="PagePreviews"/>), since chat apps and
/// crawlers read the HTML and run no script.
/// </summary>
public static class WebClientFallback
{
    public const string IndexFile = IndexPageTemplate.IndexFile;

    private static readonly string[] ReservedPrefixes =
        ["/graphql", "/graphiql", "/hubs", "/media", "/ingest", "/webhooks", "/metrics", "/healthz", "/readyz", "/app", "/emotes", AdminDashboard.Path];

    public static bool IsReserved(PathString path) =>
        ReservedPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    public static WebApplication MapWebClientFallback(this WebApplication app)
    {
        app.MapFallback("{*path:nonfile}", async (
            HttpContext http,
            IndexPageTemplate template,
            PagePreviews previews,
            IOptions<PreviewOptions> options,
            IOptions<AccountOptions> accounts) =>
        {
            var head = HttpMethods.IsHead(http.Request.Method);
            var page = IsReserved(http.Request.Path) || !(HttpMethods.IsGet(http.Request.Method) || head)
                ? null
                : await template.GetAsync(http.RequestAborted);
            if (page is null)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var preview = page.CanPreview ? await previews.ResolveAsync(http.Request.Path, http.RequestAborted) : null;
            var site = options.Value.SiteName;
            var body = preview is null
                ? page.Original
                : page.Render(PreviewMetaTags.Title(preview, site), PreviewMetaTags.Render(preview, site, accounts.Value.PublicBaseUrl));
            http.Response.ContentType = "text/html; charset=utf-8";
            // The preview follows the channel (live or not, its title): always ask again.
            http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            http.Response.ContentLength = body.Length;
            if (!head)
            {
                await http.Response.Body.WriteAsync(body, http.RequestAborted);
            }
        });
        return app;
    }
}
