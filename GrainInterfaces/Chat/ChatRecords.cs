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
    IReadOnlyList<ChatFragment> Fragments) : IAuthoredEvent
{
    public Guid? AuthorId => SenderId;
}

public enum ChatFragmentKind
{
    Text,
    Emoji,
    Emote,
}

/// <summary>A piece of a message: plain text, a Unicode emoji, or an emote (<c>:name:</c>) with its image.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatFragment(ChatFragmentKind Kind, string Text, string? ImageUrl);

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
public sealed record ChatRoomInfo(ChatSettings Settings, IReadOnlyList<Guid> Moderators, IReadOnlyList<ChatBan> Bans, IReadOnlyList<Guid> Vips);

[GenerateSerializer, Immutable]
public sealed record ChatStanding(bool IsBroadcaster, bool IsModerator, ChatBan? Ban, bool IsVip = false);

public enum ChatEventKind
{
    MessageAdded,
    MessageDeleted,
    UserBanned,
    UserUnbanned,
    SettingsChanged,
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
    ChatSettings? Settings = null) : IAuthoredEvent
{
    public Guid? AuthorId => Kind == ChatEventKind.MessageAdded ? Message?.SenderId : null;
}

/// <summary>What the room publishes on its stream: the events of one write batch, in order.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatEventBatch(Guid ChannelId, IReadOnlyList<ChatEvent> Events);
