using System.Net;
using System.Text.RegularExpressions;
using MimeKit;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Notifications;

/// <summary>
/// A notification as an e-mail. The words are <see cref="NotificationText"/>'s (the web inbox and
/// Telegram say the same); this adds the greeting, the footer and the MIME parts, which only the
/// mail sender needs.
/// </summary>
public static partial class NotificationMail
{
    /// <summary>The e-mail: the title as subject, a text part and an HTML part saying the same.</summary>
    public static MimeMessage Compose(NotificationKind kind, NotificationContent content, NotificationContact to, string from, string publicBaseUrl)
    {
        var uk = NotificationText.IsUkrainian(to.Language);
        var r = NotificationText.Render(kind, content, to.Language, publicBaseUrl);
        var settings = $"{publicBaseUrl.TrimEnd('/')}/settings/notifications";
        var greeting = uk ? $"Вітаємо, {to.Username}!" : $"Hi {to.Username},";
        var footer = kind == NotificationKind.Security
            ? (uk ? "Листи про безпеку акаунта надсилаються завжди." : "Account security e-mails are always sent.")
            : (uk ? $"Ви отримали цей лист згідно з налаштуваннями сповіщень: {settings}" : $"You get this e-mail because of your notification settings: {settings}");
        var text = $"{greeting}\n\n{r.Body}\n\n{r.Url}\n\n-- \n{footer}\n";

        var html = $"""
            <!doctype html>
            <html lang="{(uk ? "uk" : "en")}"><body style="font-family:sans-serif">
            <p>{Html(greeting)}</p>
            <p>{Html(r.Body)}</p>
            <p><a href="{WebUtility.HtmlEncode(r.Url)}">{Html(r.Url)}</a></p>
            <hr><p style="color:#666;font-size:small">{Linked(footer)}</p>
            </body></html>
            """;

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(to.Username, to.Email));
        message.Subject = r.Title;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Encodes the text and makes its URLs links.</summary>
    private static string Linked(string text) => UrlPattern().Replace(Html(text), m => $"<a href=\"{m.Value}\">{m.Value}</a>");

    [GeneratedRegex(@"https?://[^\s<]+")]
    private static partial Regex UrlPattern();
}
