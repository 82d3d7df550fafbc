using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.GrainInterfaces.Channels;

// The uploads carry the file's bytes, already bounded by the Api (see IChannelMediaGrain on the
// message size). Immutable: a call to a worker on the same silo passes them without a copy.

/// <summary>A new avatar, banner or thumbnail for a channel.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelImageUpload(Guid ChannelId, ChannelImageKind Kind, byte[] File);

/// <summary>New box art for the category <paramref name="Slug"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record CategoryImageUpload(string Slug, byte[] File);

/// <summary>A new emote for a channel: <paramref name="Name"/> is the suffix after the channel's prefix.</summary>
[GenerateSerializer, Immutable]
public sealed record EmoteImageUpload(Guid ChannelId, string Name, bool SponsorOnly, byte[] File);

/// <summary>
/// Why an upload was refused, as the <see cref="WgException"/> that refused it: a stable
/// <see cref="ErrorCodes"/> code, the message, the offending field, and for <c>BUSY</c> when to retry.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MediaRefusal(string Code, string Message, string? Field, DateTimeOffset? RetryAt)
{
    public static MediaRefusal From(WgException e) => new(e.Code, e.Message, e.Field, e.RetryAt);
}

/// <summary>Either the stored image's URLs (variant name, e.g. <c>300</c>, to public URL) or why it was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record ImageUploadResult(IReadOnlyDictionary<string, string>? Urls, MediaRefusal? Refusal)
{
    public static ImageUploadResult Refused(MediaRefusal refusal) => new(null, refusal);
}

/// <summary>Either the emote as added, with its URLs by variant (<c>28</c>, <c>56</c>, <c>112</c>), or why it was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record EmoteUploadResult(ChannelEmote? Emote, IReadOnlyDictionary<string, string>? Urls, MediaRefusal? Refusal)
{
    public static EmoteUploadResult Refused(MediaRefusal refusal) => new(null, null, refusal);
}
