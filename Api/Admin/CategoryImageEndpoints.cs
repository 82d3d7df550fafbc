using Microsoft.Extensions.Options;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Hosting;
using WgStream.Api.Media;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Api.Admin;

/// <summary>
/// A category's box art: <c>POST /media/category/{slug}</c> with a multipart field <c>file</c>, for
/// operators (session cookie or bearer token; 2FA on). The same pipeline as channel images
/// (<see cref="ChannelMediaEndpoints"/>): the upload limit per account before the body is read,
/// the size limit while it is read, then decoded, checked and re-encoded to a 285×380 WebP,
/// stored under a fresh key, and the image it replaces deleted. Answers <c>{ "url" }</c>, or JSON
/// <c>{ code, message, field }</c>: 401, 403 (<c>FORBIDDEN</c>, or <c>TWO_FACTOR_REQUIRED</c>), 404
/// for an unknown slug, 400/413/415 for the file, 429 and 503 with <c>Retry-After</c>.
/// <c>removeCategoryImage</c> (GraphQL) takes it away.
/// </summary>
public static class CategoryImageEndpoints
{
    public static void MapCategoryImages(this WebApplication app) =>
        app.MapPost("/media/category/{slug}", UploadAsync).DisableAntiforgery();

    private static async Task<IResult> UploadAsync(
        string slug,
        HttpContext http,
        SessionAuthenticator authenticator,
        Operators operators,
        ImageProcessor processor,
        IMediaStore store,
        IClusterClient cluster,
        IOptions<MediaOptions> options,
        RateLimiter rateLimiter,
        IOptions<RateLimitOptions> limits,
        ILoggerFactory loggers)
    {
        var principal = SessionAuthenticator.ReadToken(http.Request) is { } token
            ? await authenticator.AuthenticateAsync(token, http.Connection.RemoteIpAddress?.ToString())
            : null;
        if (principal is null)
        {
            return Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Sign in as an operator.");
        }

        switch (await operators.AccessAsync(principal.UserId))
        {
            case OperatorAccess.None:
                return Error(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "Only operators can change categories.");
            case OperatorAccess.TwoFactorRequired:
                return Error(StatusCodes.Status403Forbidden, Operators.TwoFactorRequiredCode, Operators.TwoFactorMessage);
        }

        if (await cluster.GetGrain<IChannelDirectoryGrain>(0).CategoryAsync(slug) is not { } category)
        {
            return Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No such category.", "slug");
        }

        var read = await ImageUpload.ReadAsync(
            http, principal.UserId, options.Value.MaxUploadBytes, $"Images are at most {options.Value.MaxUploadBytes / (1024 * 1024)} MiB.", rateLimiter, limits.Value);
        if (read.Form is not { } form)
        {
            return read.Refusal!;
        }

        var bytes = form.File;
        IReadOnlyList<ProcessedImage> images;
        try
        {
            images = await processor.ProcessAsync(bytes, ImageKind.Category, http.RequestAborted);
        }
        catch (WgException e)
        {
            return ChannelMediaEndpoints.Refusal(http, e);
        }

        // Fresh keys every time: URLs are immutable and cacheable for a year.
        var image = images[0];
        var key = $"categories/{category.Slug}/{Guid.NewGuid():N}-{image.Variant}.webp";
        await store.PutAsync(key, image.Content, image.ContentType, http.RequestAborted);
        var url = store.PublicUrl(key);
        var logger = loggers.CreateLogger(typeof(CategoryImageEndpoints));
        IReadOnlyList<string> replaced;
        try
        {
            replaced = await cluster.GetGrain<ICategoryAdminGrain>(0).SetImageAsync(category.Slug, new ChannelImage(new Dictionary<string, string> { [image.Variant] = url }, [key]));
        }
        catch (WgException e) when (e.Code == ErrorCodes.NotFound)
        {
            // Gone while uploading: the new object belongs to nothing.
            await ChannelMediaEndpoints.DeleteQuietlyAsync(store, [key], logger);
            return Error(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No such category.", "slug");
        }

        await ChannelMediaEndpoints.DeleteQuietlyAsync(store, replaced, logger);
        return Results.Ok(new { url });
    }

    private static IResult Error(int status, string code, string message, string? field = null) =>
        Results.Json(new { code, message, field }, statusCode: status);
}
