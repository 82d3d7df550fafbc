namespace WgStream.Gateways.Mail;

/// <summary>Bound from the <c>Mail</c> section.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary><c>Smtp</c> sends through <see cref="Host"/>; <c>Pickup</c> writes .eml files to <see cref="PickupDirectory"/> (local runs without a mail server).</summary>
    public string Mode { get; set; } = "Smtp";

    /// <summary>SMTP server (<c>Mode</c> = <c>Smtp</c>).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>SMTP port (25, 465 or 587 with <c>Security</c> to match).</summary>
    public int Port { get; set; } = 25;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c> or <c>SslOnConnect</c>.</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";

    /// <summary>SMTP user name, when the server wants one.</summary>
    public string? Username { get; set; }

    /// <summary>SMTP password, when the server wants one.</summary>
    public string? Password { get; set; }

    /// <summary>The sender of every e-mail (name and address).</summary>
    public string From { get; set; } = "WG-Stream <no-reply@wg-stream.local>";

    /// <summary>Where mail is written as <c>.eml</c> files in <c>Pickup</c> mode (relative to the working directory).</summary>
    public string PickupDirectory { get; set; } = "var/mail";
}
