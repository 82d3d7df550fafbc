namespace WgStream.GrainInterfaces.Chat;

/// <summary>One size of an emote's image: a square WebP <see cref="Size"/> pixels wide (28, 56 or 112).</summary>
[GenerateSerializer, Immutable]
public sealed record EmoteImage(int Size, string Url);

/// <summary>
/// An emote a channel's owner uploaded, typed in chat as <c>:{Prefix}{Suffix}:</c> (<see cref="Code"/>).
/// Usable by anyone in its own channel's chat, or, when <see cref="SponsorOnly"/>, by the channel's
/// active sponsors (and its owner) in any chat. The images never change: a new picture is a new emote.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChannelEmote(
    Guid Id,
    Guid ChannelId,
    string Prefix,
    string Suffix,
    bool Animated,
    bool SponsorOnly,
    IReadOnlyList<EmoteImage> Images,
    DateTimeOffset CreatedAt)
{
    /// <summary>The emote's name, <c>aliceHype</c>: the channel's prefix and the emote's suffix.</summary>
    public string Name => Prefix + Suffix;

    /// <summary>What to type: <c>:aliceHype:</c>.</summary>
    public string Code => $":{Name}:";

    /// <summary>The smallest image, the size chat shows at 1×.</summary>
    public string ImageUrl => Images.MinBy(i => i.Size)?.Url ?? string.Empty;
}

/// <summary>A channel's prefix (null until its owner chose one or uploaded a first emote) and its emotes, oldest first.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelEmoteSet(Guid ChannelId, string? Prefix, IReadOnlyList<ChannelEmote> Emotes);

/// <summary>An upload already checked, converted and stored, for the channel's grain to add.</summary>
[GenerateSerializer, Immutable]
public sealed record NewChannelEmote(
    Guid Id,
    string Suffix,
    bool Animated,
    bool SponsorOnly,
    IReadOnlyList<EmoteImage> Images,
    IReadOnlyList<string> StorageKeys);

/// <summary>
/// Published on the <c>emotes</c> stream once a change to a channel's emotes or prefix is durable:
/// each silo drops what it cached for these prefixes (the old and the new one after a prefix change).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EmotesChanged(Guid ChannelId, IReadOnlyList<string> Prefixes);
