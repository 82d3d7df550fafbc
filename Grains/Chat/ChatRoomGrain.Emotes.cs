using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Grains.Chat;

/// <summary>
/// Channel emotes in messages. A channel's emote is usable by anyone in its own chat; a sponsor-only
/// one is usable in any chat, but only by the channel's active sponsors (and its owner). A code the
/// sender may not use stays text: the message is never refused for it (emote-only mode then counts
/// it as text). Codes are resolved through this silo's <see cref="Emotes.ChannelEmoteCache"/>, so a
/// known code costs no call, and sponsorships of other channels are asked briefly cached.
/// </summary>
public sealed partial class ChatRoomGrain
{
    private static readonly IReadOnlyDictionary<string, ChannelEmote> NoEmotes = new Dictionary<string, ChannelEmote>();

    /// <summary>Whether a user sponsors another channel (for its sponsor-only emotes), and when that was asked.</summary>
    private readonly Dictionary<(Guid Channel, Guid User), (bool Sponsor, DateTimeOffset Checked)> emoteSponsors = [];

    /// <summary>The channel emotes of <paramref name="text"/> that <paramref name="senderId"/> may use here, by name.</summary>
    private async Task<IReadOnlyDictionary<string, ChannelEmote>> UsableEmotesAsync(Guid senderId, string text)
    {
        var names = ChatText.EmoteNames(text);
        if (names.Count == 0)
        {
            return NoEmotes;
        }

        var usable = new Dictionary<string, ChannelEmote>(StringComparer.Ordinal);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!EmoteRules.TrySplit(name, out var prefix, out var suffix)
                || (!prefixes.Contains(prefix) && prefixes.Count >= emoteOptions.Value.MaxPrefixesPerMessage))
            {
                continue;
            }

            prefixes.Add(prefix);
            if ((await emotes.GetAsync(prefix))?.Find(suffix) is { } emote && await MayUseAsync(senderId, emote))
            {
                usable[name] = emote;
            }
        }

        return usable;
    }

    private async Task<bool> MayUseAsync(Guid senderId, ChannelEmote emote)
    {
        if (!emote.SponsorOnly)
        {
            return emote.ChannelId == ChannelId;
        }

        if (senderId == emote.ChannelId)
        {
            return true;
        }

        return emote.ChannelId == ChannelId
            ? (await BadgeChecksAsync(senderId)).Sponsor
            : await SponsorsAsync(emote.ChannelId, senderId);
    }

    /// <summary>Whether <paramref name="userId"/> sponsors another channel now, reused for <see cref="ChatOptions.BadgeCacheTime"/> like this room's own sponsor badge.</summary>
    private async Task<bool> SponsorsAsync(Guid channelId, Guid userId)
    {
        var now = clock.GetUtcNow();
        if (emoteSponsors.TryGetValue((channelId, userId), out var cached) && now - cached.Checked < Options.BadgeCacheTime)
        {
            return cached.Sponsor;
        }

        var sponsor = await GrainFactory.GetGrain<IChannelSponsorsGrain>(channelId).IsSponsorAsync(userId);
        if (emoteSponsors.Count > 10_000)
        {
            emoteSponsors.Clear();
        }

        emoteSponsors[(channelId, userId)] = (sponsor, now);
        return sponsor;
    }
}
