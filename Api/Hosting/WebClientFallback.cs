using Microsoft.Net.Http.Headers;

namespace WgStream.Api.Hosting;

/// <summary>
/// The browser client (built from <c>web/</c> into <c>wwwroot/app/</c>) routes on the client, so
/// any other extensionless path (<c>/alice</c>, <c>/dashboard</c>) answers with its index.html.
/// API paths keep their own 404s.
/// </summary>
public static class WebClientFallback
{
    public const string IndexFile = "app/index.html";

    private static readonly string[] ReservedPrefixes =
        ["/graphql", "/graphiql", "/hubs", "/media", "/ingest", "/webhooks", "/metrics", "/healthz", "/readyz", "/app", "/emotes", AdminDashboard.Path];

    public static bool IsReserved(PathString path) =>
        ReservedPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    public static WebApplication MapWebClientFallback(this WebApplication app)
    {
        app.MapFallback("{*path:nonfile}", async (HttpContext http, IWebHostEnvironment environment) =>
        {
            var file = environment.WebRootFileProvider.GetFileInfo(IndexFile);
            if (IsReserved(http.Request.Path) || !file.Exists || !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            await http.Response.SendFileAsync(file, http.RequestAborted);
        });
        return app;
    }
}
