using Microsoft.Extensions.Options;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Media;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>
/// <c>POST /media/emote</c>: a channel's owner uploads an emote as multipart form fields <c>file</c>
/// (PNG, GIF or WebP; animated ones stay animated), <c>name</c> (the suffix after the channel's
/// prefix: <c>Hype</c> makes <c>aliceHype</c>), <c>sponsorOnly</c> (<c>true</c>/<c>false</c>,
/// default false) and optionally <c>channelId</c> (only one's own). Checked in order of cost, each
/// before the next is spent: the per-account upload allowance (shared with the other images) and
/// the body's size before it is read; the fields, the file's header (format, pixels, frames, length)
/// and the channel's room for it (name free, under its limits) before it is decoded; then the node's
/// decode budget (<c>BUSY</c>). The three sizes are stored under fresh keys
/// (<c>emotes/{channel}/{emote}/{animated|static}/{size}.webp</c>) and the channel's grain adds the
/// emote; if it refuses after all (a second upload took the name or the last place meanwhile), the
/// files are deleted again. All of that after the form is read is <see cref="IChannelMediaGrain"/>'s
/// (<c>AddEmoteAsync</c>). Refusals are JSON <c>{code, message, field}</c>.
/// </summary>
public static class EmoteUploadEndpoints
{
    public static void MapEmoteUploads(this WebApplication app) => app.MapPost("/media/emote", UploadAsync).DisableAntiforgery();

    private static async Task<IResult> UploadAsync(
        HttpContext http,
        SessionAuthenticator authenticator,
        IClusterClient cluster,
        IOptions<EmoteOptions> options,
        RateLimiter rateLimiter,
        IOptions<RateLimitOptions> limits)
    {
        if (await ChannelMediaEndpoints.AuthenticateAsync(http, authenticator) is not { } userId)
        {
            return ChannelMediaEndpoints.Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "Sign in first.");
        }

        var maxBytes = options.Value.MaxUploadBytes;
        var read = await ImageUpload.ReadAsync(http, userId, maxBytes, $"An emote is at most {maxBytes / 1024} KiB.", rateLimiter, limits.Value);
        if (read.Refusal is { } refused)
        {
            return refused;
        }

        Form form;
        try
        {
            form = Fields(read.Form!, userId);
        }
        catch (WgException e)
        {
            return ChannelMediaEndpoints.Refusal(http, e);
        }

        var result = await cluster.GetGrain<IChannelMediaGrain>(0).AddEmoteAsync(
            userId, new EmoteImageUpload(form.ChannelId, form.Name, form.SponsorOnly, form.File), http.RequestAborted);
        if (result.Refusal is { } refusal)
        {
            return ChannelMediaEndpoints.Refusal(http, refusal);
        }

        var emote = result.Emote!;
        return Results.Ok(new
        {
            emote = new
            {
                id = emote.Id,
                channelId = emote.ChannelId,
                name = emote.Name,
                code = emote.Code,
                prefix = emote.Prefix,
                suffix = emote.Suffix,
                animated = emote.Animated,
                sponsorOnly = emote.SponsorOnly,
                images = emote.Images.Select(i => new { size = i.Size, url = i.Url }),
            },
            animated = emote.Animated,
            urls = result.Urls,
        });
    }

    /// <summary>The fields besides the file, each checked.</summary>
    private static Form Fields(UploadForm upload, Guid userId)
    {
        var fields = upload.Fields;
        var name = fields["name"].ToString();
        if (string.IsNullOrWhiteSpace(name))
        {
            throw WgException.BadInput("Name the emote (the part after your prefix, such as Hype).", "name");
        }

        var sponsorOnly = fields["sponsorOnly"].ToString().Trim().ToLowerInvariant() switch
        {
            "" or "false" or "0" or "off" => false,
            "true" or "1" or "on" => true,
            _ => throw WgException.BadInput("sponsorOnly is true or false.", "sponsorOnly"),
        };

        var channelId = userId;
        if (fields["channelId"].ToString() is { Length: > 0 } given)
        {
            channelId = Guid.TryParse(given, out var parsed) ? parsed : throw WgException.BadInput("channelId is not a valid id.", "channelId");
            if (channelId != userId)
            {
                throw WgException.Forbidden("Only the channel's owner uploads its emotes.");
            }
        }

        return new Form(upload.File, name, sponsorOnly, channelId);
    }

    private sealed record Form(byte[] File, string Name, bool SponsorOnly, Guid ChannelId);
}
