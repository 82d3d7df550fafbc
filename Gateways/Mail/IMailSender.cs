using MimeKit;

namespace WgStream.Gateways.Mail;

/// <summary>Delivers a finished message; templates and addressing are the caller's.</summary>
public interface IMailSender
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default);
}
