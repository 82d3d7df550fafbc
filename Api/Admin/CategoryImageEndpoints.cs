using Microsoft.Extensions.Options;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Hosting;
using WgStream.Api.Media;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;

namespace WgStream.Api.Admin;

/// <summary>
/// A category's box art: <c>POST /media/category/{slug}</c> with a multipart field <c>file</c>, for
/// operators (session cookie or bearer token; 2FA on). The same pipeline as channel images
/// (<see cref="ChannelMediaEndpoints"/>): the upload limit per account before the body is read,
/// the size limit while it is read, then <see cref="IChannelMediaGrain"/> decodes, checks and
/// re-encodes it to a 285×380 WebP, stores it under a fresh key, and deletes the image it
/// replaces. Answers <c>{ "url" }</c>, or JSON
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
        IClusterClient cluster,
        IOptions<MediaOptions> options,
        RateLimiter rateLimiter,
        IOptions<RateLimitOptions> limits)
    {
        var principal = SessionAuthenticator.ReadToken(http.Request) is { } token
            ? await authenticator.AuthenticateAsync(token, http.Connection.RemoteIpAddress?.ToString())
            : null;
        if (principal is null)
        {
            return Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Sign in as an operator.");
        }

        // Who may: checked here, before the body is read, as for every operators' change of categories
        // (ICategoryAdminGrain trusts its caller on this, and so does the media grain).
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

        var result = await cluster.GetGrain<IChannelMediaGrain>(0)
            .SetCategoryImageAsync(new CategoryImageUpload(category.Slug, form.File), http.RequestAborted);
        return result.Refusal is { } refusal
            ? ChannelMediaEndpoints.Refusal(http, refusal)
            : Results.Ok(new { url = result.Urls!.Values.Single() });
    }

    private static IResult Error(int status, string code, string message, string? field = null) =>
        Results.Json(new { code, message, field }, statusCode: status);
}
