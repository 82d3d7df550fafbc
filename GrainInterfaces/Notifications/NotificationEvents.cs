namespace WgStream.GrainInterfaces.Notifications;

/// <summary>
/// Something that happened that people should hear about. Producers hand one to
/// <see cref="INotificationDispatchGrain.PublishAsync"/>; the notification pipeline works out who
/// receives it and over which media (in-app, e-mail, Telegram) from their settings.
/// </summary>
[GenerateSerializer]
public abstract record NotificationEvent(DateTimeOffset At);

/// <summary>A channel went live: every follower hears about it (fanned out in SQL batches).</summary>
[GenerateSerializer, Immutable]
public sealed record StreamStartedEvent(DateTimeOffset At, Guid ChannelId, Guid StreamId, string Title, string? CategorySlug) : NotificationEvent(At);

/// <summary>Someone started following a channel (publish only when the follow is new); the channel owner hears about it.</summary>
[GenerateSerializer, Immutable]
public sealed record NewFollowerEvent(DateTimeOffset At, Guid ChannelId, Guid FollowerId) : NotificationEvent(At);

/// <summary>Someone sponsored a channel; the channel owner hears about it.</summary>
[GenerateSerializer, Immutable]
public sealed record NewSponsorEvent(DateTimeOffset At, Guid ChannelId, Guid SponsorId, string PlanTitle) : NotificationEvent(At);

/// <summary>
/// Someone mentioned <paramref name="UserId"/> (<c>@username</c>) in a channel's chat, or replied
/// to their message (<paramref name="Reply"/>); the mentioned user hears about it. The message's
/// start is kept as it was sent.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatMentionEvent(DateTimeOffset At, Guid ChannelId, Guid MessageId, Guid SenderId, Guid UserId, bool Reply, string Excerpt) : NotificationEvent(At);

/// <summary>A channel was verified; its owner hears about it.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelVerifiedEvent(DateTimeOffset At, Guid ChannelId) : NotificationEvent(At);

/// <summary>
/// Something happened to an account's security; its owner hears about it (by e-mail always).
/// <paramref name="MailTo"/> sends the e-mail to that address instead of the account's current one
/// (the previous address, after an e-mail change); set it only for an address that was verified.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SecurityNoticeEvent(DateTimeOffset At, Guid UserId, SecurityNoticeKind Kind, string? Detail, string? MailTo = null) : NotificationEvent(At);

public enum SecurityNoticeKind
{
    NewLogin,
    TotpEnabled,
    TotpDisabled,
    PasswordChanged,
    PasswordReset,
    AccountDeactivated,
    EmailChanged,
    AccountReactivated,
    AccountDeleted,
}

/// <summary>What a notification is about; settings are kept per kind.</summary>
public enum NotificationKind
{
    StreamStarted,
    NewFollower,
    NewSponsor,
    ChannelVerified,
    Security,
    Mention,
}
