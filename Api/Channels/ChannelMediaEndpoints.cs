using WgStream.Api.Hosting;
using Microsoft.Extensions.Options;
using WgStream.Api.Auth;
using WgStream.Api.Media;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Api.Channels;

/// <summary>
/// Avatar, banner and thumbnail uploads: <c>POST /media/avatar</c>, <c>/media/banner</c> or
/// <c>/media/thumbnail</c> with a multipart form field <c>file</c>, signed in by bearer token or
/// cookie; each sets that image of the signed-in user's own channel (there is no way to name
/// another). A plain endpoint rather than the GraphQL multipart request spec: browsers send it
/// with one <c>FormData</c>, the body is size-checked before it is read, and GraphQL stays
/// JSON-only (no CSRF-prone multipart mutations). The image is decoded, checked and re-encoded
/// into fixed WebP sizes, stored, and the images it replaces are deleted. Uploads per account are
/// rate-limited (<c>RateLimits:UploadPerAccount</c>, 429 <c>RATE_LIMITED</c>) before the body is read, and a
/// node with no room to decode answers 503 <c>BUSY</c>; both say when to retry.
/// </summary>
public static partial class ChannelMediaEndpoints
{
    public static void MapChannelMedia(this WebApplication app)
    {
        app.MapPost("/media/{kind}", UploadAsync).DisableAntiforgery();
        app.MapDelete("/media/{kind}", RemoveAsync);
    }

    private static async Task<IResult> UploadAsync(
        string kind,
        HttpContext http,
        SessionAuthenticator authenticator,
        ImageProcessor processor,
        IMediaStore store,
        IClusterClient cluster,
        IOptions<MediaOptions> options,
        RateLimiter rateLimiter,
        IOptions<RateLimitOptions> limits,
        ILoggerFactory loggers)
    {
        if (ParseKind(kind) is not { } imageKind)
        {
            return Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "Upload to /media/avatar, /media/banner or /media/thumbnail.");
        }

        if (await AuthenticateAsync(http, authenticator) is not { } userId)
        {
            return Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Sign in first.");
        }

        var read = await ImageUpload.ReadAsync(
            http, userId, options.Value.MaxUploadBytes, $"Images are at most {options.Value.MaxUploadBytes / (1024 * 1024)} MiB.", rateLimiter, limits.Value);
        if (read.Form is not { } form)
        {
            return read.Refusal!;
        }

        var bytes = form.File;
        IReadOnlyList<ProcessedImage> images;
        try
        {
            images = await processor.ProcessAsync(bytes, imageKind.Processing, http.RequestAborted);
        }
        catch (WgException e)
        {
            return Refusal(http, e);
        }

        // Fresh keys every time: URLs are immutable and cacheable for a year.
        var prefix = $"{imageKind.Folder}/{userId:N}/{Guid.NewGuid():N}";
        var urls = new Dictionary<string, string>();
        var keys = new List<string>();
        foreach (var image in images)
        {
            var key = $"{prefix}-{image.Variant}.webp";
            await store.PutAsync(key, image.Content, image.ContentType, http.RequestAborted);
            urls[image.Variant] = store.PublicUrl(key);
            keys.Add(key);
        }

        var replaced = await cluster.GetGrain<IChannelGrain>(userId).SetImageAsync(imageKind.Channel, new ChannelImage(urls, keys));
        await DeleteQuietlyAsync(store, replaced, loggers.CreateLogger(nameof(ChannelMediaEndpoints)));
        return Results.Ok(new { urls });
    }

    private static async Task<IResult> RemoveAsync(
        string kind, HttpContext http, SessionAuthenticator authenticator, IMediaStore store, IClusterClient cluster, ILoggerFactory loggers)
    {
        if (ParseKind(kind) is not { } imageKind)
        {
            return Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "Use /media/avatar, /media/banner or /media/thumbnail.");
        }

        if (await AuthenticateAsync(http, authenticator) is not { } userId)
        {
            return Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Sign in first.");
        }

        var replaced = await cluster.GetGrain<IChannelGrain>(userId).SetImageAsync(imageKind.Channel, null);
        await DeleteQuietlyAsync(store, replaced, loggers.CreateLogger(nameof(ChannelMediaEndpoints)));
        return Results.NoContent();
    }

    internal static async Task<Guid?> AuthenticateAsync(HttpContext http, SessionAuthenticator authenticator) =>
        SessionAuthenticator.ReadToken(http.Request) is { } token
        && await authenticator.AuthenticateAsync(token, http.Connection.RemoteIpAddress?.ToString()) is { } principal
            ? principal.UserId
            : null;

    /// <summary>The new image is already live; an old object that fails to delete is only storage, so it is logged, not fatal.</summary>
    internal static async Task DeleteQuietlyAsync(IMediaStore store, IReadOnlyList<string> keys, ILogger logger)
    {
        foreach (var key in keys)
        {
            try
            {
                await store.DeleteAsync(key);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDeleteFailed(logger, e, key);
            }
        }
    }

    private static ImageTarget? ParseKind(string kind) => kind switch
    {
        "avatar" => new ImageTarget(ImageKind.Avatar, ChannelImageKind.Avatar, "avatars"),
        "banner" => new ImageTarget(ImageKind.Banner, ChannelImageKind.Banner, "banners"),
        "thumbnail" => new ImageTarget(ImageKind.ChannelThumbnail, ChannelImageKind.Thumbnail, "thumbnails"),
        _ => null,
    };

    /// <summary>
    /// A refusal as JSON: <c>RATE_LIMITED</c> is 429 (this account is uploading too often), <c>BUSY</c> 503
    /// (this node has no room to decode now), both with <c>Retry-After</c>; <c>FORBIDDEN</c> 403,
    /// <c>NOT_FOUND</c> 404, <c>CONFLICT</c> 409 and <c>INTERNAL</c> 500 (the server's fault);
    /// anything else is the request's fault, 400.
    /// </summary>
    internal static IResult Refusal(HttpContext http, WgException e)
    {
        var status = e.Code switch
        {
            ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
            ErrorCodes.Busy => StatusCodes.Status503ServiceUnavailable,
            ErrorCodes.Unauthenticated => StatusCodes.Status401Unauthorized,
            ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
            ErrorCodes.NotFound => StatusCodes.Status404NotFound,
            ErrorCodes.Conflict => StatusCodes.Status409Conflict,
            ErrorCodes.Internal => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status400BadRequest,
        };
        if (e.RetryAt is not { } retryAt)
        {
            return Error(status, e.Code, e.Message, e.Field);
        }

        var seconds = Math.Max(1, (int)Math.Ceiling((retryAt - DateTimeOffset.UtcNow).TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(new { code = e.Code, message = e.Message, field = e.Field, retryAfterSeconds = seconds }, statusCode: status);
    }

    internal static IResult Error(int status, string code, string message, string? field = null) =>
        Results.Json(new { code, message, field }, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete replaced media object {Key}")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string key);

    private sealed record ImageTarget(ImageKind Processing, ChannelImageKind Channel, string Folder);
}
