using Microsoft.Extensions.Options;
using MimeKit;
using WgStream.Gateways.Mail;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Grains.Accounts;

/// <summary>
/// The account e-mails (verification code, password reset), in Ukrainian or English. Links point at
/// the web client's <c>/verify-email?code=</c> and <c>/reset-password?token=</c> pages under
/// <see cref="AccountOptions.PublicBaseUrl"/>.
/// </summary>
public sealed class AccountMail(IMailSender sender, IOptions<MailOptions> mailOptions, IOptions<AccountOptions> accountOptions)
{
    public Task SendVerificationCodeAsync(string to, string username, string code, string language)
    {
        var link = $"{Site}/verify-email?code={Uri.EscapeDataString(code)}";
        var uk = IsUkrainian(language);
        var subject = uk ? $"Код підтвердження WG-Stream: {code}" : $"Your WG-Stream verification code: {code}";
        var text = uk
            ? $"Вітаємо, {username}!\n\nВаш код підтвердження пошти: {code}\nКод дійсний 24 години. Введіть його в налаштуваннях або відкрийте посилання:\n{link}\n\nЯкщо ви не реєструвалися на WG-Stream, просто проігноруйте цей лист."
            : $"Hi {username},\n\nYour e-mail verification code is {code}.\nIt is valid for 24 hours. Enter it in your settings or open this link:\n{link}\n\nIf you did not sign up for WG-Stream, ignore this e-mail.";
        return SendAsync(to, subject, text, code, link);
    }

    public Task SendPasswordResetAsync(string to, string username, string token, string language)
    {
        var link = $"{Site}/reset-password?token={Uri.EscapeDataString(token)}";
        var uk = IsUkrainian(language);
        var subject = uk ? "Скидання пароля WG-Stream" : "Reset your WG-Stream password";
        var text = uk
            ? $"Вітаємо, {username}!\n\nЩоб задати новий пароль, відкрийте посилання (дійсне 1 годину):\n{link}\n\nЯкщо ви не просили скинути пароль, проігноруйте цей лист."
            : $"Hi {username},\n\nTo choose a new password, open this link (valid for one hour):\n{link}\n\nIf you did not ask for a reset, ignore this e-mail.";
        return SendAsync(to, subject, text, null, link);
    }

    private string Site => accountOptions.Value.PublicBaseUrl.TrimEnd('/');

    private static bool IsUkrainian(string language) => language.StartsWith("uk", StringComparison.OrdinalIgnoreCase);

    /// <summary>The HTML part is the text, encoded, with <paramref name="highlight"/> in bold and <paramref name="link"/> clickable.</summary>
    private Task SendAsync(string to, string subject, string text, string? highlight, string link)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(mailOptions.Value.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        // The link is cut out first so the highlight (a code the link may contain) is not bolded inside it.
        var parts = text.Split(link);
        var encodedLink = System.Net.WebUtility.HtmlEncode(link);
        var html = string.Join(
            $"<a href=\"{encodedLink}\"><strong>{encodedLink}</strong></a>",
            parts.Select(part =>
            {
                var encoded = System.Net.WebUtility.HtmlEncode(part);
                if (highlight is not null)
                {
                    var encodedHighlight = System.Net.WebUtility.HtmlEncode(highlight);
                    encoded = encoded.Replace(encodedHighlight, $"<strong>{encodedHighlight}</strong>", StringComparison.Ordinal);
                }

                return encoded;
            })).Replace("\n", "<br>\n", StringComparison.Ordinal);
        message.Body = new BodyBuilder
        {
            TextBody = text,
            HtmlBody = $"<!doctype html><html><body style=\"font-family:sans-serif\">{html}</body></html>",
        }.ToMessageBody();
        return sender.SendAsync(message);
    }
}
