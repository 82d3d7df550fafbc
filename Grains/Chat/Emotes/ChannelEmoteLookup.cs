using System.Collections.Frozen;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>One channel's emotes as a silo caches them: found by suffix, case-sensitively.</summary>
public sealed class ChannelEmoteLookup(ChannelEmoteSet set)
{
    private readonly FrozenDictionary<string, ChannelEmote> bySuffix = set.Emotes.ToFrozenDictionary(e => e.Suffix, StringComparer.Ordinal);

    public ChannelEmoteSet Set { get; } = set;

    public ChannelEmote? Find(string suffix) => bySuffix.GetValueOrDefault(suffix);
}
