namespace WgStream.GrainInterfaces.Notifications;

/// <summary>A notification in words: a one-line title, a sentence or two, and where it leads.</summary>
public sealed record RenderedNotification(string Title, string Body, string Url);

/// <summary>
/// The notification texts in Ukrainian and English, for the inbox, e-mail (<c>NotificationMail</c>) and
/// Telegram (plain text: Telegram links URLs itself, and nothing needs escaping).
/// </summary>
public static partial class NotificationText
{
    public static bool IsUkrainian(string? language) => language is not null && language.StartsWith("uk", StringComparison.OrdinalIgnoreCase);

    public static RenderedNotification Render(NotificationKind kind, NotificationContent c, string? language, string publicBaseUrl)
    {
        var uk = IsUkrainian(language);
        var site = publicBaseUrl.TrimEnd('/');
        var channel = c.ChannelDisplayName ?? c.ChannelUsername ?? (uk ? "Канал" : "A channel");
        var actor = c.ActorUsername ?? (uk ? "Хтось" : "Someone");
        var channelUrl = c.ChannelUsername is null ? site : $"{site}/{c.ChannelUsername}";
        var actorUrl = c.ActorUsername is null ? site : $"{site}/{c.ActorUsername}";
        switch (kind)
        {
            case NotificationKind.StreamStarted:
                {
                    var category = uk ? c.CategoryNameUk : c.CategoryNameEn;
                    return uk
                        ? new($"{channel} в ефірі: {c.StreamTitle}", $"{channel} розпочинає трансляцію «{c.StreamTitle}»{(category is null ? "" : $" у категорії «{category}»")}.", channelUrl)
                        : new($"{channel} is live: {c.StreamTitle}", $"{channel} started streaming “{c.StreamTitle}”{(category is null ? "" : $" in {category}")}.", channelUrl);
                }

            case NotificationKind.NewFollower:
                return uk
                    ? new($"{actor} стежить за вашим каналом", $"{actor} тепер стежить за вашим каналом на WG-Stream.", actorUrl)
                    : new($"{actor} followed your channel", $"{actor} is now following your channel on WG-Stream.", actorUrl);

            case NotificationKind.NewSponsor:
                return uk
                    ? new($"{actor} став спонсором вашого каналу", $"{actor} підтримує ваш канал планом «{c.PlanTitle}».", actorUrl)
                    : new($"{actor} became a sponsor of your channel", $"{actor} sponsors your channel with the “{c.PlanTitle}” plan.", actorUrl);

            case NotificationKind.ChannelVerified:
                return uk
                    ? new("Ваш канал верифіковано", $"Канал {channel} тепер має позначку верифікації.", channelUrl)
                    : new("Your channel is verified", $"{channel} now carries the verified badge.", channelUrl);

            case NotificationKind.Security:
                return Security(c, uk, $"{site}/settings/security");

            case NotificationKind.Mention:
                return (uk, c.IsReply) switch
                {
                    (true, true) => new($"{actor} відповідає вам у чаті {channel}", $"«{c.Detail}»", channelUrl),
                    (true, false) => new($"{actor} згадує вас у чаті {channel}", $"«{c.Detail}»", channelUrl),
                    (false, true) => new($"{actor} replied to you in {channel}'s chat", $"“{c.Detail}”", channelUrl),
                    (false, false) => new($"{actor} mentioned you in {channel}'s chat", $"“{c.Detail}”", channelUrl),
                };

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>The Telegram message: title, body and link, plain text.</summary>
    public static string Telegram(NotificationKind kind, NotificationContent content, string? language, string publicBaseUrl)
    {
        var r = Render(kind, content, language, publicBaseUrl);
        return $"{(kind == NotificationKind.Security ? "🔐" : kind == NotificationKind.StreamStarted ? "🔴" : "🔔")} {r.Title}\n\n{r.Body}\n{r.Url}";
    }

    private static RenderedNotification Security(NotificationContent c, bool uk, string url)
    {
        var detail = string.IsNullOrWhiteSpace(c.Detail) ? "" : $" ({c.Detail})";
        var notYou = uk
            ? " Якщо це були не ви, змініть пароль і завершіть інші сеанси."
            : " If this was not you, change your password and sign out your other sessions.";
        return (c.SecurityKind, uk) switch
        {
            (SecurityNoticeKind.NewLogin, true) => new("Новий вхід у ваш акаунт", $"Хтось увійшов у ваш акаунт WG-Stream{detail}.{notYou}", url),
            (SecurityNoticeKind.NewLogin, false) => new("New sign-in to your account", $"Someone signed in to your WG-Stream account{detail}.{notYou}", url),
            (SecurityNoticeKind.TotpEnabled, true) => new("Двофакторну автентифікацію увімкнено", $"Для входу у ваш акаунт тепер потрібен код з застосунку-автентифікатора.{notYou}", url),
            (SecurityNoticeKind.TotpEnabled, false) => new("Two-factor authentication is on", $"Signing in to your account now takes a code from your authenticator app.{notYou}", url),
            (SecurityNoticeKind.TotpDisabled, true) => new("Двофакторну автентифікацію вимкнено", $"Для входу у ваш акаунт більше не потрібен код.{notYou}", url),
            (SecurityNoticeKind.TotpDisabled, false) => new("Two-factor authentication is off", $"Signing in to your account no longer takes a code.{notYou}", url),
            (SecurityNoticeKind.PasswordChanged, true) => new("Ваш пароль змінено", $"Пароль вашого акаунта WG-Stream змінено; інші сеанси завершено.{notYou}", url),
            (SecurityNoticeKind.PasswordChanged, false) => new("Your password was changed", $"The password of your WG-Stream account was changed and your other sessions were signed out.{notYou}", url),
            (SecurityNoticeKind.PasswordReset, true) => new("Ваш пароль скинуто", $"Пароль вашого акаунта WG-Stream задано за посиланням для скидання; усі сеанси завершено.{notYou}", url),
            (SecurityNoticeKind.PasswordReset, false) => new("Your password was reset", $"The password of your WG-Stream account was set from a reset link and every session was signed out.{notYou}", url),
            (SecurityNoticeKind.AccountDeactivated, true) => new("Ваш акаунт деактивовано", $"Ваш акаунт WG-Stream деактивовано{detail}.", url),
            (SecurityNoticeKind.AccountDeactivated, false) => new("Your account was deactivated", $"Your WG-Stream account was deactivated{detail}.", url),
            (SecurityNoticeKind.EmailChanged, true) => new("Адресу пошти змінено", $"Адресу пошти вашого акаунта WG-Stream змінено{detail}; цей лист надіслано на попередню адресу.{notYou}", url),
            (SecurityNoticeKind.EmailChanged, false) => new("Your e-mail address was changed", $"The e-mail address of your WG-Stream account was changed{detail}; this message goes to the previous address.{notYou}", url),
            (SecurityNoticeKind.AccountReactivated, true) => new("Ваш акаунт знову активний", $"Ви увійшли в деактивований акаунт WG-Stream: його відновлено, видалення скасовано.{notYou}", url),
            (SecurityNoticeKind.AccountReactivated, false) => new("Your account is active again", $"Someone signed in to your deactivated WG-Stream account, so it is back and will not be deleted.{notYou}", url),
            (SecurityNoticeKind.AccountDeleted, true) => new("Ваш акаунт видалено", "Ваш акаунт WG-Stream видалено разом з каналом і особистими даними, як ви і просили. Дякуємо, що були з нами.", url),
            (SecurityNoticeKind.AccountDeleted, false) => new("Your account was deleted", "Your WG-Stream account was deleted with its channel and personal data, as you asked. Thank you for having been with us.", url),
            (_, true) => new("Сповіщення безпеки", $"Зміна безпеки вашого акаунта{detail}.{notYou}", url),
            (_, false) => new("Security notice", $"A security change on your account{detail}.{notYou}", url),
        };
    }
}
