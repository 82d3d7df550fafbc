using Microsoft.Net.Http.Headers;

namespace WgStream.Api.GraphQL;

/// <summary>
/// The GraphiQL IDE for exploring the API in a browser, at <c>/graphiql</c>. It is bundled from npm
/// with its React and styles by the web build (<c>web/vite.graphiql.config.ts</c>) into
/// <c>wwwroot/graphiql/</c>, whose assets are served as static files, so it needs no internet; it
/// talks to <c>/graphql</c> over HTTP and graphql-transport-ws.
/// </summary>
public static class GraphiQLPage
{
    public const string File = "graphiql/graphiql.html";

    public static async Task Write(HttpContext http, IWebHostEnvironment environment)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(File);
        if (!file.Exists)
        {
            // As the web client's pages without a build: not found (nothing failed), saying why.
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("GraphiQL is not built: ./wg web builds web/ into Api/wwwroot/.", http.RequestAborted);
            return;
        }

        http.Response.ContentType = "text/html; charset=utf-8";
        // The page names its hashed assets: ask again after each build.
        http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        http.Response.ContentLength = file.Length;
        await using var stream = file.CreateReadStream();
        await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
