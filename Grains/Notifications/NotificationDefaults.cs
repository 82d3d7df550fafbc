using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Notifications;

/// <summary>
/// The settings of a user who never changed them (no <c>notification_settings</c> row). The
/// fan-out SQL takes these as parameters, so this is the only place they are written down.
/// </summary>
public static class NotificationDefaults
{
    public static readonly IReadOnlyList<NotificationKind> Kinds = Enum.GetValues<NotificationKind>();

    /// <summary>
    /// Go-live e-mails are opt-in (a popular channel would otherwise mail everyone on every stream);
    /// mentions are in-app only unless asked for (a busy chat can mention someone many times an hour);
    /// the rest are on.
    /// </summary>
    public static (bool InApp, bool Email, bool Telegram) For(NotificationKind kind) => kind switch
    {
        NotificationKind.StreamStarted => (true, false, true),
        NotificationKind.Mention => (true, false, false),
        _ => (true, true, true),
    };

    /// <summary>Security notices always go by e-mail (to a verified address).</summary>
    public static bool EmailForced(NotificationKind kind) => kind == NotificationKind.Security;
}
