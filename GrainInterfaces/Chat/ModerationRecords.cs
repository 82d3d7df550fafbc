namespace WgStream.GrainInterfaces.Chat;

/// <summary>What a moderator (or the broadcaster) did.</summary>
public enum ModerationAction
{
    DeleteMessage,
    Timeout,
    Ban,
    Unban,
    AddModerator,
    RemoveModerator,
    AddVip,
    RemoveVip,
    SettingsChanged,
    BlockedTermAdded,
    BlockedTermRemoved,
    ApproveHeldMessage,
    DenyHeldMessage,
    LinkDomainsChanged,
    PinMessage,
    UnpinMessage,
    ClearChat,
}

/// <summary>
/// One entry of a channel's moderation log: who did what to whom, when and why. <see cref="Details"/>
/// is what the action was about in words (the deleted message's text, the timeout's length, the term,
/// the settings after the change).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ModerationEntry(
    long Id,
    Guid ChannelId,
    Guid ActorId,
    ModerationAction Action,
    Guid? TargetUserId,
    Guid? TargetMessageId,
    string? Reason,
    string? Details,
    DateTimeOffset At);
