namespace WgStream.Gateways.Telegram;

/// <summary>Bound from the <c>Telegram</c> section. With no <see cref="BotToken"/> the bot is off.</summary>
public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>The Telegram bot's token from BotFather; without one, Telegram is off (never logged).</summary>
    public string? BotToken { get; set; }

    /// <summary>The bot's username (without @), for <c>https://t.me/{BotUsername}?start=...</c> links.</summary>
    public string? BotUsername { get; set; }

    /// <summary><c>Polling</c> (getUpdates, the default; needs no public address) or <c>Webhook</c> (<c>POST /webhooks/telegram/{WebhookSecret}</c> on the Api).</summary>
    public string Mode { get; set; } = "Polling";

    /// <summary>The Bot API server (a local Bot API server, or a test double).</summary>
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>Webhook mode: the secret path segment (also sent as <c>secret_token</c>, checked in <c>X-Telegram-Bot-Api-Secret-Token</c>).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Webhook mode: the Api's public base URL; when set, silos register <c>{WebhookBaseUrl}/webhooks/telegram/{WebhookSecret}</c> with Telegram at start.</summary>
    public string? WebhookBaseUrl { get; set; }

    /// <summary>How long a <c>connectTelegram</c> link works.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>getUpdates long-poll timeout.</summary>
    public int PollTimeoutSeconds { get; set; } = 25;

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    /// <summary>Accounts can be linked (<c>connectTelegram</c>): a bot token and the username its deep links name.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(BotUsername))]
    public bool CanLink => Enabled && !string.IsNullOrWhiteSpace(BotUsername);

    public bool UsesWebhook => string.Equals(Mode, "Webhook", StringComparison.OrdinalIgnoreCase);
}
