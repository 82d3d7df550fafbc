using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using WgStream.Gateways.Media;

namespace WgStream.Api.Hosting;

public static class LocalMediaFiles
{
    /// <summary>With the local-disk store (single-machine runs), the Api itself serves the media directory at <c>/media</c>.</summary>
    public static WebApplication UseLocalMediaFiles(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MediaOptions>>().Value;
        if (options.UsesS3)
        {
            return app;
        }

        var directory = Path.GetFullPath(options.LocalDirectory);
        Directory.CreateDirectory(directory);
        // Past broadcasts are HLS: ASP.NET Core's table knows neither .m3u8 nor the MPEG-TS type players expect.
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".m3u8"] = "application/vnd.apple.mpegurl";
        types.Mappings[".ts"] = "video/mp2t";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(directory),
            ContentTypeProvider = types,
            RequestPath = "/media",
            // Keys are unique per upload, so a URL's content never changes.
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl = "public, max-age=31536000, immutable",
        });
        return app;
    }
}
