namespace WgStream.GrainInterfaces.Channels;

/// <summary>
/// The image workflow behind uploads (key 0): checks who may do it, decodes and re-encodes the
/// upload, stores the renditions under fresh keys, swaps them onto the grain that owns the image
/// (the channel, the category, the channel's emotes) and deletes what they replaced. A stateless
/// worker, so it runs where it is called: beside a co-hosting Api, on a gateway silo for an Api that
/// is a cluster client. The Api reads and bounds the upload (rate limit, body size) and maps the
/// answer to HTTP; refusals come back as <see cref="MediaRefusal"/> rather than thrown, so a
/// <c>BUSY</c> keeps its retry time for the <c>Retry-After</c> header.
/// </summary>
/// <remarks>
/// Message size: an upload is at most <c>Media:MaxUploadBytes</c> (8 MiB by default) plus the
/// 64 KiB multipart envelope the Api lets through, or <c>Emotes:MaxUploadBytes</c> (1 MiB), and
/// Orleans refuses message bodies over <c>MessagingOptions.MaxMessageBodySize</c>, 100 MB by
/// default and not changed here: the file fits with room to spare. Raising
/// <c>Media:MaxUploadBytes</c> towards 100 MB would need that limit raised too.
/// </remarks>
public interface IChannelMediaGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Longer than Orleans' 30 s default: an upload may wait <c>Media:DecodeWaitTimeout</c> (5 s) for
    /// room to decode, and an animated emote's encode may take <c>Emotes:EncodeTimeout</c> (30 s)
    /// before it is answered <c>BUSY</c>; the call must not time out before the refusal arrives.
    /// </summary>
    const string UploadTimeout = "00:02:00";

    /// <summary>
    /// Sets the channel's image: only its owner (<paramref name="actorId"/> = channel id; else
    /// FORBIDDEN). BAD_USER_INPUT (field <c>file</c>) for a file that is not an accepted image, BUSY
    /// when this node has no room to decode it now.
    /// </summary>
    [ResponseTimeout(UploadTimeout)]
    Task<ImageUploadResult> SetChannelImageAsync(Guid actorId, ChannelImageUpload upload, CancellationToken cancellationToken = default);

    /// <summary>Removes the channel's image and deletes its files; only its owner (FORBIDDEN otherwise). Removing none is not an error.</summary>
    Task RemoveChannelImageAsync(Guid actorId, Guid channelId, ChannelImageKind kind);

    /// <summary>
    /// Sets a category's box art (285×380). The caller has checked that the actor is an operator, as for
    /// <see cref="ICategoryAdminGrain"/>. NOT_FOUND (field <c>slug</c>) when the category is gone.
    /// </summary>
    [ResponseTimeout(UploadTimeout)]
    Task<ImageUploadResult> SetCategoryImageAsync(CategoryImageUpload upload, CancellationToken cancellationToken = default);

    /// <summary>Removes a category's image and deletes its file; the caller has checked the operator. NOT_FOUND for an unknown slug.</summary>
    Task RemoveCategoryImageAsync(string slug);

    /// <summary>
    /// Adds an emote through the channel's emote grain, which decides who may (the owner) and whether
    /// there is room; checked before the image is decoded and again when it is added. Files stored for
    /// an emote that is then refused are deleted again.
    /// </summary>
    [ResponseTimeout(UploadTimeout)]
    Task<EmoteUploadResult> AddEmoteAsync(Guid actorId, EmoteImageUpload upload, CancellationToken cancellationToken = default);
}
