using WgStream.Api.Hosting;
using Microsoft.Extensions.Options;
using WgStream.Api.Auth;
using WgStream.Api.Media;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;

namespace WgStream.Api.Channels;

/// <summary>
/// Avatar, banner and thumbnail uploads: <c>POST /media/avatar</c>, <c>/media/banner</c> or
/// <c>/media/thumbnail</c> with a multipart form field <c>file</c>, signed in by bearer token or
/// cookie; each sets that image of the signed-in user's own channel (there is no way to name
/// another). A plain endpoint rather than the GraphQL multipart request spec: browsers send it
/// with one <c>FormData</c>, the body is size-checked before it is read, and GraphQL stays
/// JSON-only (no CSRF-prone multipart mutations). <see cref="IChannelMediaGrain"/> decodes, checks
/// and re-encodes the image into fixed WebP sizes, stores it, and deletes the images it replaces; this
/// endpoint reads the upload and maps the grain's answer to HTTP. Uploads per account are
/// rate-limited (<c>RateLimits:UploadPerAccount</c>, 429 <c>RATE_LIMITED</c>) before the body is read, and a
/// node with no room to decode answers 503 <c>BUSY</c>; both say when to retry.
/// </summary>
public static class ChannelMediaEndpoints
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
        IClusterClient cluster,
        IOptions<MediaOptions> options,
        RateLimiter rateLimiter,
        IOptions<RateLimitOptions> limits)
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

        var result = await cluster.GetGrain<IChannelMediaGrain>(0)
            .SetChannelImageAsync(userId, new ChannelImageUpload(userId, imageKind, form.File), http.RequestAborted);
        return result.Refusal is { } refusal ? Refusal(http, refusal) : Results.Ok(new { urls = result.Urls });
    }

    private static async Task<IResult> RemoveAsync(string kind, HttpContext http, SessionAuthenticator authenticator, IClusterClient cluster)
    {
        if (ParseKind(kind) is not { } imageKind)
        {
            return Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "Use /media/avatar, /media/banner or /media/thumbnail.");
        }

        if (await AuthenticateAsync(http, authenticator) is not { } userId)
        {
            return Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Sign in first.");
        }

        await cluster.GetGrain<IChannelMediaGrain>(0).RemoveChannelImageAsync(userId, userId, imageKind);
        return Results.NoContent();
    }

    internal static async Task<Guid?> AuthenticateAsync(HttpContext http, SessionAuthenticator authenticator) =>
        SessionAuthenticator.ReadToken(http.Request) is { } token
        && await authenticator.AuthenticateAsync(token, http.Connection.RemoteIpAddress?.ToString()) is { } principal
            ? principal.UserId
            : null;

    private static ChannelImageKind? ParseKind(string kind) => kind switch
    {
        "avatar" => ChannelImageKind.Avatar,
        "banner" => ChannelImageKind.Banner,
        "thumbnail" => ChannelImageKind.Thumbnail,
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

    /// <summary>A refusal the media grain answered with, as the same JSON as the exception it stands for.</summary>
    internal static IResult Refusal(HttpContext http, MediaRefusal refusal) =>
        Refusal(http, new WgException(refusal.Code, refusal.Message, refusal.Field, refusal.RetryAt));

    internal static IResult Error(int status, string code, string message, string? field = null) =>
        Results.Json(new { code, message, field }, statusCode: status);
}
