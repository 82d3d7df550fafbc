using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>A row of <c>channel_emotes</c>: an emote as its channel's grain holds it, with the storage keys of its files.</summary>
public sealed record StoredEmote(
    Guid Id,
    string Suffix,
    bool Animated,
    bool SponsorOnly,
    IReadOnlyList<EmoteImage> Images,
    IReadOnlyList<string> StorageKeys,
    DateTimeOffset CreatedAt)
{
    public ChannelEmote ToEmote(Guid channelId, string prefix) => new(Id, channelId, prefix, Suffix, Animated, SponsorOnly, Images, CreatedAt);
}
