namespace WgStream.GrainInterfaces.Notifications;

/// <summary>One in-app notification of a user, as lists and the <c>notifications</c> stream carry it.</summary>
[GenerateSerializer, Immutable]
public sealed record NotificationItem(long Id, NotificationKind Kind, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, NotificationContent Content);

/// <summary>
/// What a notification shows, resolved once per event (names looked up when the event is
/// expanded), so lists and deliveries never look them up per recipient. <see cref="MailTo"/>
/// overrides the address the e-mail goes to (see <see cref="SecurityNoticeEvent"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NotificationContent(
    Guid? ChannelId = null,
    string? ChannelUsername = null,
    string? ChannelDisplayName = null,
    Guid? ActorId = null,
    string? ActorUsername = null,
    Guid? StreamId = null,
    string? StreamTitle = null,
    string? CategorySlug = null,
    string? CategoryNameEn = null,
    string? CategoryNameUk = null,
    string? PlanTitle = null,
    SecurityNoticeKind? SecurityKind = null,
    string? Detail = null,
    string? MailTo = null,
    Guid? MessageId = null,
    bool IsReply = false);

/// <summary>Whether each kind is wanted over one medium.</summary>
[GenerateSerializer, Immutable]
public sealed record MediumSettings(bool StreamStarted, bool NewFollower, bool NewSponsor, bool ChannelVerified, bool Security, bool Mention = false)
{
    public bool For(NotificationKind kind) => kind switch
    {
        NotificationKind.StreamStarted => StreamStarted,
        NotificationKind.NewFollower => NewFollower,
        NotificationKind.NewSponsor => NewSponsor,
        NotificationKind.ChannelVerified => ChannelVerified,
        NotificationKind.Security => Security,
        NotificationKind.Mention => Mention,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

[GenerateSerializer, Immutable]
public sealed record NotificationSettings(MediumSettings InApp, MediumSettings Email, MediumSettings Telegram, bool TelegramLinked);

/// <summary>A partial change of one medium: null leaves a kind as it is.</summary>
[GenerateSerializer, Immutable]
public sealed record MediumSettingsUpdate(bool? StreamStarted, bool? NewFollower, bool? NewSponsor, bool? ChannelVerified, bool? Security, bool? Mention = null)
{
    public bool? For(NotificationKind kind) => kind switch
    {
        NotificationKind.StreamStarted => StreamStarted,
        NotificationKind.NewFollower => NewFollower,
        NotificationKind.NewSponsor => NewSponsor,
        NotificationKind.ChannelVerified => ChannelVerified,
        NotificationKind.Security => Security,
        NotificationKind.Mention => Mention,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

[GenerateSerializer, Immutable]
public sealed record NotificationSettingsUpdate(MediumSettingsUpdate? InApp, MediumSettingsUpdate? Email, MediumSettingsUpdate? Telegram);

/// <summary>A <c>t.me</c> deep link that links the Telegram chat that opens it to the account; one use, short-lived.</summary>
[GenerateSerializer, Immutable]
public sealed record TelegramConnectLink(string Url, DateTimeOffset ExpiresAt);

/// <summary>A text message someone sent the bot (from the webhook or from polling).</summary>
[GenerateSerializer, Immutable]
public sealed record TelegramIncomingMessage(long ChatId, string Text, string? FromUsername, string? LanguageCode);

/// <summary>Where and how to reach a user: their grain owns these, the delivery reads them.</summary>
[GenerateSerializer, Immutable]
public sealed record NotificationContact(string Username, string Email, bool EmailVerified, string Language);

/// <summary>The per-user Orleans stream of new in-app notifications.</summary>
public static class NotificationStreams
{
    /// <summary>Per user (keyed by user id): <see cref="NotificationItem"/>s as their in-app rows are written.</summary>
    public const string Namespace = "notifications";
}
