using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using WgStream.Gateways.Media;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Chat.Emotes;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Grains.Channels;

/// <summary>
/// The upload workflow of <see cref="IChannelMediaGrain"/>. Holds no state, so it is reentrant:
/// uploads run side by side and wait, if they must, in the node's <see cref="DecodeGate"/> (in
/// arrival order, refused with <c>BUSY</c> after <c>Media:DecodeWaitTimeout</c>) rather than in a
/// grain's queue. Keys are fresh for every upload, so URLs are immutable and cacheable for a year.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class ChannelMediaGrain(
    ImageProcessor images,
    EmoteImageProcessor emotes,
    IMediaStore media,
    ILogger<ChannelMediaGrain> logger) : Grain, IChannelMediaGrain
{
    public async Task<ImageUploadResult> SetChannelImageAsync(Guid actorId, ChannelImageUpload upload, CancellationToken cancellationToken = default)
    {
        if (actorId != upload.ChannelId)
        {
            return ImageUploadResult.Refused(MediaRefusal.From(NotOwner()));
        }

        var (kind, folder) = Target(upload.Kind);
        IReadOnlyList<ProcessedImage> processed;
        try
        {
            processed = await images.ProcessAsync(upload.File, kind, cancellationToken);
        }
        catch (WgException e)
        {
            return ImageUploadResult.Refused(MediaRefusal.From(e));
        }

        var (urls, keys) = await StoreAsync($"{folder}/{upload.ChannelId:N}/{Guid.NewGuid():N}", processed, cancellationToken);
        var replaced = await GrainFactory.GetGrain<IChannelGrain>(upload.ChannelId).SetImageAsync(upload.Kind, new ChannelImage(urls, keys));
        await media.DeleteQuietlyAsync(replaced, logger);
        return new ImageUploadResult(urls, null);
    }

    public async Task RemoveChannelImageAsync(Guid actorId, Guid channelId, ChannelImageKind kind)
    {
        if (actorId != channelId)
        {
            throw NotOwner();
        }

        var replaced = await GrainFactory.GetGrain<IChannelGrain>(channelId).SetImageAsync(kind, null);
        await media.DeleteQuietlyAsync(replaced, logger);
    }

    public async Task<ImageUploadResult> SetCategoryImageAsync(CategoryImageUpload upload, CancellationToken cancellationToken = default)
    {
        ProcessedImage image;
        try
        {
            image = (await images.ProcessAsync(upload.File, ImageKind.Category, cancellationToken))[0];
        }
        catch (WgException e)
        {
            return ImageUploadResult.Refused(MediaRefusal.From(e));
        }

        var (urls, keys) = await StoreAsync($"categories/{upload.Slug}/{Guid.NewGuid():N}", [image], cancellationToken);
        IReadOnlyList<string> replaced;
        try
        {
            replaced = await Categories.SetImageAsync(upload.Slug, new ChannelImage(urls, keys));
        }
        catch (WgException e) when (e.Code == ErrorCodes.NotFound)
        {
            // Gone while uploading: the new object belongs to nothing.
            await media.DeleteQuietlyAsync(keys, logger);
            return ImageUploadResult.Refused(new MediaRefusal(ErrorCodes.NotFound, "No such category.", "slug", null));
        }

        await media.DeleteQuietlyAsync(replaced, logger);
        return new ImageUploadResult(urls, null);
    }

    public async Task RemoveCategoryImageAsync(string slug)
    {
        var replaced = await Categories.SetImageAsync(slug, null);
        await media.DeleteQuietlyAsync(replaced, logger);
    }

    public async Task<EmoteUploadResult> AddEmoteAsync(Guid actorId, EmoteImageUpload upload, CancellationToken cancellationToken = default)
    {
        // The channel's emote grain is the one owner of its emotes: it decides who may add one and
        // whether there is room, once from the header alone (before anything is decoded) and again
        // when the emote is added.
        var channel = GrainFactory.GetGrain<IChannelEmotesGrain>(upload.ChannelId);
        ProcessedEmote processed;
        try
        {
            var header = emotes.Inspect(upload.File);
            await channel.CheckUploadAsync(actorId, upload.Name, header.Animated);
            processed = await emotes.ProcessAsync(upload.File, cancellationToken);
        }
        catch (WgException e)
        {
            return EmoteUploadResult.Refused(MediaRefusal.From(e));
        }

        var emoteId = Guid.NewGuid();
        var folder = $"{ChannelEmotesGrain.StorageFolder(upload.ChannelId)}/{emoteId:N}/{(processed.Animated ? "animated" : "static")}";
        var keys = new List<string>();
        var stored = new List<EmoteImage>();
        ChannelEmote emote;
        try
        {
            foreach (var image in processed.Images)
            {
                var key = $"{folder}/{image.Variant}.webp";
                keys.Add(key);

                // Not the caller's token: once storing has begun, it finishes or is undone below.
                await media.PutAsync(key, image.Content, image.ContentType, CancellationToken.None);
                stored.Add(new EmoteImage(image.Width, media.PublicUrl(key)));
            }

            emote = await channel.AddAsync(actorId, new NewChannelEmote(emoteId, upload.Name, processed.Animated, upload.SponsorOnly, stored, keys));
        }
        catch (Exception e)
        {
            // Nothing refers to the files: they go, whatever stopped the emote from being added.
            await media.DeleteQuietlyAsync(keys, logger);
            if (e is WgException refusal)
            {
                return EmoteUploadResult.Refused(MediaRefusal.From(refusal));
            }

            throw;
        }

        return new EmoteUploadResult(emote, emote.Images.ToDictionary(i => EmoteImageProcessor.Variant(i.Size), i => i.Url), null);
    }

    private ICategoryAdminGrain Categories => GrainFactory.GetGrain<ICategoryAdminGrain>(0);

    /// <summary>Stores each rendition as <c>{prefix}-{variant}.webp</c>: a fresh prefix per upload keeps URLs immutable.</summary>
    private async Task<(Dictionary<string, string> Urls, List<string> Keys)> StoreAsync(string prefix, IReadOnlyList<ProcessedImage> images, CancellationToken cancellationToken)
    {
        var urls = new Dictionary<string, string>();
        var keys = new List<string>();
        foreach (var image in images)
        {
            var key = $"{prefix}-{image.Variant}.webp";
            await media.PutAsync(key, image.Content, image.ContentType, cancellationToken);
            urls[image.Variant] = media.PublicUrl(key);
            keys.Add(key);
        }

        return (urls, keys);
    }

    /// <summary>What each channel image is made into, and the folder its files go in.</summary>
    private static (ImageKind Kind, string Folder) Target(ChannelImageKind kind) => kind switch
    {
        ChannelImageKind.Avatar => (ImageKind.Avatar, "avatars"),
        ChannelImageKind.Banner => (ImageKind.Banner, "banners"),
        ChannelImageKind.Thumbnail => (ImageKind.ChannelThumbnail, "thumbnails"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown channel image."),
    };

    private static WgException NotOwner() => WgException.Forbidden("Only the channel's owner changes its images.");
}
