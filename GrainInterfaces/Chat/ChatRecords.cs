using WgStream.GrainInterfaces.Common;

namespace WgStream.GrainInterfaces.Chat;

[GenerateSerializer, Immutable]
public sealed record ChatMessage(
    Guid Id,
    long Seq,
    Guid ChannelId,
    Guid SenderId,
    string Username,
    string Color,
    IReadOnlyList<string> Badges,
    DateTimeOffset SentAt,
    string Text,
    IReadOnlyList<ChatFragment> Fragments,
    ChatReply? Reply = null) : IAuthoredEvent
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? AuthorId => SenderId;
}

/// <summary>
/// The message a reply answers, as it was when the reply was sent: shown above the reply as a quote
/// (the parent may scroll away or be deleted later; its quote stays as it was).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatReply(Guid MessageId, Guid SenderId, string Username, string Text);

public enum ChatFragmentKind
{
    Text,
    Emoji,
    Emote,
    Mention,
}

/// <summary>
/// A piece of a message: plain text, a Unicode emoji, an emote (<c>:name:</c>) with its image, or a
/// mention (<c>@username</c> of an account, with its <see cref="UserId"/>). A channel's emote also
/// carries <see cref="Emote"/>: which one, and its image in every size.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatFragment(ChatFragmentKind Kind, string Text, string? ImageUrl, Guid? UserId = null, ChatFragmentEmote? Emote = null);

/// <summary>
/// A channel emote as a message used it: its images as they were then (the files stay while the
/// emote exists, whatever it is renamed to), for clients to pick the size their screen needs.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatFragmentEmote(Guid Id, Guid ChannelId, bool Animated, IReadOnlyList<EmoteImage> Images);

/// <summary>A message a moderator pinned to the top of the room until <see cref="Until"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatPin(ChatMessage Message, Guid PinnedBy, DateTimeOffset PinnedAt, DateTimeOffset Until);

[GenerateSerializer, Immutable]
public sealed record ChatSettings(
    bool Enabled,
    int SlowModeSeconds,
    bool FollowersOnly,
    int FollowersOnlyMinutes,
    bool EmoteOnly,
    bool SponsorsOnly = false,
    AutoModLevel AutoModLevel = AutoModLevel.Off,
    bool HoldLinks = false)
{
    public static ChatSettings Default { get; } = new(true, 0, false, 0, false);
}

/// <summary>Null fields keep their value.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatSettingsUpdate(
    bool? Enabled,
    int? SlowModeSeconds,
    bool? FollowersOnly,
    int? FollowersOnlyMinutes,
    bool? EmoteOnly,
    bool? SponsorsOnly = null,
    AutoModLevel? AutoModLevel = null,
    bool? HoldLinks = null);

[GenerateSerializer, Immutable]
public sealed record ChatHistory(IReadOnlyList<ChatMessage> Messages, bool HasMore);

[GenerateSerializer, Immutable]
public sealed record ChatBan(Guid UserId, DateTimeOffset? Until, string? Reason, Guid ByUserId, DateTimeOffset At);

[GenerateSerializer, Immutable]
public sealed record ChatRoomInfo(ChatSettings Settings, IReadOnlyList<Guid> Moderators, IReadOnlyList<ChatBan> Bans, IReadOnlyList<Guid> Vips, ChatPin? Pinned = null);

[GenerateSerializer, Immutable]
public sealed record ChatStanding(bool IsBroadcaster, bool IsModerator, ChatBan? Ban, bool IsVip = false);

public enum ChatEventKind
{
    MessageAdded,
    MessageDeleted,
    UserBanned,
    UserUnbanned,
    SettingsChanged,

    /// <summary>A moderator pinned <see cref="ChatEvent.Pin"/>'s message (replacing any other).</summary>
    MessagePinned,

    /// <summary>The pinned message was unpinned (its time may also simply run out; clients hide it then).</summary>
    MessageUnpinned,

    /// <summary>A moderator cleared the chat: clients empty their lists; history starts after this event.</summary>
    ChatCleared,

    /// <summary>Another channel is raiding this one (<see cref="ChatEvent.Raid"/>); a notice, not a stored message.</summary>
    Raid,
}

/// <summary>
/// Everything a chat client needs to stay current, in one shape. <see cref="Seq"/> orders events
/// of a room; a ban or timeout (<see cref="ChatEventKind.UserBanned"/>, with <see cref="Until"/>
/// for a timeout) tells clients to hide that user's messages.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatEvent(
    ChatEventKind Kind,
    Guid ChannelId,
    long Seq,
    ChatMessage? Message = null,
    Guid? MessageId = null,
    Guid? UserId = null,
    DateTimeOffset? Until = null,
    string? Reason = null,
    ChatSettings? Settings = null,
    ChatPin? Pin = null,
    Streams.Raid? Raid = null) : IAuthoredEvent
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Guid? AuthorId => Kind == ChatEventKind.MessageAdded ? Message?.SenderId : null;
}

/// <summary>What the room publishes on its stream: the events of one write batch, in order.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatEventBatch(Guid ChannelId, IReadOnlyList<ChatEvent> Events);
