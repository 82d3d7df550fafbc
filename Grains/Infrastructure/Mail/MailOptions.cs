namespace WgStream.Grains.Infrastructure.Mail;

/// <summary>Bound from the <c>Mail</c> section.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary><c>Smtp</c> sends through <see cref="Host"/>; <c>Pickup</c> writes .eml files to <see cref="PickupDirectory"/> (local runs without a mail server).</summary>
    public string Mode { get; set; } = "Smtp";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 25;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c> or <c>SslOnConnect</c>.</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "WG-Stream <no-reply@wg-stream.local>";

    public string PickupDirectory { get; set; } = "var/mail";
}
