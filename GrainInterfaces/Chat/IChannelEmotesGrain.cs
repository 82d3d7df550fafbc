using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Chat;

/// <summary>
/// A channel's emotes and emote prefix (keyed by channel id), the one owner of both: held in memory,
/// written through to PostgreSQL, and announced to every silo's emote cache when they change. Only
/// the channel's owner (<c>actorId</c> = channel id) changes them; anyone else is FORBIDDEN.
/// </summary>
public interface IChannelEmotesGrain : IGrainWithGuidKey
{
    [ReadOnly]
    Task<ChannelEmoteSet> GetAsync();

    /// <summary>
    /// Sets the prefix (3–10 lower-case letters or digits; not beginning with <c>wg</c>, nor another
    /// account's username; free across the platform, else BAD_USER_INPUT field <c>prefix</c>). Every
    /// emote's code changes with it; messages already sent keep their images. Returns the prefix.
    /// </summary>
    Task<string> SetPrefixAsync(Guid actorId, string prefix);

    /// <summary>
    /// Whether an upload named <paramref name="suffix"/> would be taken (the name's rules, not taken,
    /// the channel's limits), so a refused upload is refused before its image is decoded.
    /// </summary>
    [ReadOnly]
    Task CheckUploadAsync(Guid actorId, string suffix, bool animated);

    /// <summary>
    /// Adds an uploaded emote, checked again as <see cref="CheckUploadAsync"/> does; a channel with no
    /// prefix yet takes its default (from the username) first. On a refusal the caller deletes the files.
    /// </summary>
    Task<ChannelEmote> AddAsync(Guid actorId, NewChannelEmote emote);

    /// <summary>A new suffix (BAD_USER_INPUT field <c>name</c> when it breaks the rules or is taken); NOT_FOUND for an emote not of this channel.</summary>
    Task<ChannelEmote> RenameAsync(Guid actorId, Guid emoteId, string suffix);

    Task<ChannelEmote> SetSponsorOnlyAsync(Guid actorId, Guid emoteId, bool sponsorOnly);

    /// <summary>Removes the emote and its files; messages that used it keep their text.</summary>
    Task DeleteAsync(Guid actorId, Guid emoteId);

    /// <summary>For an erased account: every emote, its files, and the prefix (released for others).</summary>
    Task EraseAsync();
}
