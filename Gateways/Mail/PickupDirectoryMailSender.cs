using Microsoft.Extensions.Options;
using MimeKit;

namespace WgStream.Gateways.Mail;

/// <summary>
/// Writes each message as an .eml file, for local runs with no mail server: the developer opens the
/// file to follow a verification or reset link.
/// </summary>
public sealed class PickupDirectoryMailSender(IOptions<MailOptions> options) : IMailSender
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetFullPath(options.Value.PickupDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml");
        await message.WriteToAsync(path, cancellationToken);
    }
}
