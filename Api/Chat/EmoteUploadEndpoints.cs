using Microsoft.Extensions.Options;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Media;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Chat.Emotes;
using WgStream.Gateways.Media;

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
/// files are deleted again. Refusals are JSON <c>{code, message, field}</c>.
/// </summary>
public static partial class EmoteUploadEndpoints
{
    public static void MapEmoteUploads(this WebApplication app) => app.MapPost("/media/emote", UploadAsync).DisableAntiforgery();

    private static async Task<IResult> UploadAsync(
        HttpContext http,
        SessionAuthenticator authenticator,
        EmoteImageProcessor processor,
        IMediaStore store,
        IClusterClient cluster,
        IOptions<EmoteOptions> options,
        RateLimiter rateLimiter,
        IOptions<RateLimitOptions> limits,
        ILoggerFactory loggers)
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

        var channel = cluster.GetGrain<IChannelEmotesGrain>(form.ChannelId);
        ProcessedEmote processed;
        try
        {
            var upload = processor.Inspect(form.File);
            await channel.CheckUploadAsync(userId, form.Name, upload.Animated);
            processed = await processor.ProcessAsync(form.File, http.RequestAborted);
        }
        catch (WgException e)
        {
            return ChannelMediaEndpoints.Refusal(http, e);
        }

        var emoteId = Guid.NewGuid();
        var folder = $"{ChannelEmotesGrain.StorageFolder(form.ChannelId)}/{emoteId:N}/{(processed.Animated ? "animated" : "static")}";
        var keys = new List<string>();
        var images = new List<EmoteImage>();
        var logger = loggers.CreateLogger(nameof(EmoteUploadEndpoints));
        ChannelEmote emote;
        try
        {
            foreach (var image in processed.Images)
            {
                var key = $"{folder}/{image.Variant}.webp";
                keys.Add(key);
                await store.PutAsync(key, image.Content, image.ContentType, CancellationToken.None);
                images.Add(new EmoteImage(image.Width, store.PublicUrl(key)));
            }

            emote = await channel.AddAsync(userId, new NewChannelEmote(emoteId, form.Name, processed.Animated, form.SponsorOnly, images, keys));
        }
        catch (Exception e)
        {
            // Nothing refers to the files: they go, whatever stopped the emote from being added.
            await ChannelMediaEndpoints.DeleteQuietlyAsync(store, keys, logger);
            if (e is WgException refusal)
            {
                return ChannelMediaEndpoints.Refusal(http, refusal);
            }

            throw;
        }

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
            urls = emote.Images.ToDictionary(i => EmoteImageProcessor.Variant(i.Size), i => i.Url),
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
