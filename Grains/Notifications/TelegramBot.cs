using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Grains.Accounts;
using WgStream.Gateways.Telegram;

namespace WgStream.Grains.Notifications;

/// <summary>
/// What the bot answers: <c>/start &lt;token&gt;</c> links the chat to the account the token was made
/// for, <c>/stop</c> unlinks it, <c>/me</c> shows the linked profile, <c>/follows</c> the channels it
/// follows (live ones first). Replies are sent at once (not
/// through the outbox): they answer a person who is looking at the chat, and can ask again.
/// </summary>
public sealed partial class TelegramBot(
    TelegramGateway gateway,
    TelegramLinkStore links,
    IGrainFactory grains,
    IOptions<AccountOptions> accountOptions,
    ILogger<TelegramBot> logger)
{
    public async Task HandleAsync(TelegramIncomingMessage message, CancellationToken cancellationToken = default)
    {
        var (command, argument) = Parse(message.Text);
        var reply = command switch
        {
            "/start" => await StartAsync(message, argument),
            "/stop" => await StopAsync(message),
            "/me" => await MeAsync(message),
            "/follows" => await FollowsAsync(message),
            _ => await HelpAsync(message),
        };
        await gateway.Client.SendMessage(message.ChatId, reply, cancellationToken: cancellationToken);
    }

    /// <summary><c>/start@bot token</c> → (<c>/start</c>, <c>token</c>).</summary>
    internal static (string Command, string Argument) Parse(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', '\n', '\t']);
        var command = (space < 0 ? trimmed : trimmed[..space]).ToLowerInvariant();
        var at = command.IndexOf('@', StringComparison.Ordinal);
        if (at > 0)
        {
            command = command[..at];
        }

        return (command, space < 0 ? string.Empty : trimmed[(space + 1)..].Trim());
    }

    private async Task<string> StartAsync(TelegramIncomingMessage message, string token)
    {
        if (token.Length == 0)
        {
            var linked = await links.FindUserAsync(message.ChatId);
            if (linked is { } id && await ContactAsync(id) is { } contact)
            {
                return Uk(contact.Language)
                    ? $"Цей чат підключено до акаунта {contact.Username}. /me — ваш профіль, /stop — відключити."
                    : $"This chat is connected to {contact.Username}. /me shows your profile, /stop disconnects.";
            }

            return NotLinked(message.LanguageCode);
        }

        var userId = IsToken(token) ? await links.ConsumeTokenAsync(Secrets.Hash(token)) : null;
        if (userId is null || await ContactAsync(userId.Value) is not { } owner)
        {
            return Uk(message.LanguageCode)
                ? "Посилання недійсне або застаріло. Створіть нове: WG-Stream → Налаштування → Сповіщення → Підключити Telegram."
                : "This link is invalid or has expired. Make a new one: WG-Stream → Settings → Notifications → Connect Telegram.";
        }

        await links.LinkAsync(userId.Value, message.ChatId, message.FromUsername);
        LogLinked(userId.Value, message.ChatId);
        return Uk(owner.Language)
            ? $"Готово! Цей чат підключено до акаунта {owner.Username} на WG-Stream: сюди надходитимуть сповіщення. /me — ваш профіль, /stop — відключити."
            : $"Done! This chat is connected to {owner.Username} on WG-Stream, and notifications will arrive here. /me shows your profile, /stop disconnects.";
    }

    private async Task<string> StopAsync(TelegramIncomingMessage message)
    {
        var userId = await links.UnlinkChatAsync(message.ChatId);
        if (userId is null)
        {
            return Uk(message.LanguageCode) ? "Цей чат не підключено до жодного акаунта." : "This chat is not connected to an account.";
        }

        LogUnlinked(userId.Value, message.ChatId);
        var language = (await ContactAsync(userId.Value))?.Language ?? message.LanguageCode;
        return Uk(language)
            ? "Чат відключено: сповіщення сюди більше не надходитимуть. Підключити знову можна в налаштуваннях сповіщень."
            : "Disconnected: notifications will no longer arrive here. You can connect again from your notification settings.";
    }

    private async Task<string> MeAsync(TelegramIncomingMessage message)
    {
        if (await links.FindUserAsync(message.ChatId) is not { } userId || await ContactAsync(userId) is not { } contact)
        {
            return NotLinked(message.LanguageCode);
        }

        var channel = await grains.GetGrain<IChannelGrain>(userId).GetAsync();
        var followers = channel?.FollowerCount ?? 0;
        var url = $"{accountOptions.Value.PublicBaseUrl.TrimEnd('/')}/{contact.Username}";
        return Uk(contact.Language)
            ? $"👤 {contact.Username}\nСтежать: {followers}\n{url}"
            : $"👤 {contact.Username}\nFollowers: {followers}\n{url}";
    }

    /// <summary>How many followed channels <c>/follows</c> lists; a Telegram message holds 4096 characters.</summary>
    internal const int FollowsShown = 25;

    private async Task<string> FollowsAsync(TelegramIncomingMessage message)
    {
        if (await links.FindUserAsync(message.ChatId) is not { } userId || await ContactAsync(userId) is not { } contact)
        {
            return NotLinked(message.LanguageCode);
        }

        var uk = Uk(contact.Language);
        var page = await grains.GetGrain<IChannelDirectoryGrain>(0).FollowingAsync(userId, FollowsShown, null);
        var channels = (await Task.WhenAll(page.Edges.Select(e => grains.GetGrain<IChannelGrain>(e.Node.ChannelId).GetAsync())))
            .OfType<ChannelProfile>()
            .OrderByDescending(c => c.IsLive)
            .ThenByDescending(c => c.Live?.ViewerCount ?? 0)
            .ToList();
        if (channels.Count == 0)
        {
            return uk ? "Ви ще ні за ким не стежите." : "You don't follow any channels yet.";
        }

        var site = accountOptions.Value.PublicBaseUrl.TrimEnd('/');
        var lines = channels.Select(c => c.Live is { } live
            ? $"🔴 {c.DisplayName} — {live.Title} ({live.ViewerCount} {(uk ? "глядачів" : "viewers")})\n{site}/{c.Username}"
            : $"⚪ {c.DisplayName}\n{site}/{c.Username}");
        var more = page.HasNextPage ? (uk ? "\n…та інші на сайті." : "\n…and more on the site.") : string.Empty;
        return (uk ? "Ви стежите за:\n" : "You follow:\n") + string.Join("\n", lines) + more;
    }

    private async Task<string> HelpAsync(TelegramIncomingMessage message)
    {
        var linked = await links.FindUserAsync(message.ChatId) is not null;
        return linked
            ? (Uk(message.LanguageCode) ? "Команди: /me — ваш профіль, /follows — канали, за якими ви стежите, /stop — відключити сповіщення." : "Commands: /me shows your profile, /follows the channels you follow, /stop turns notifications off.")
            : NotLinked(message.LanguageCode);
    }

    private Task<NotificationContact?> ContactAsync(Guid userId) => grains.GetGrain<IUserProfileGrain>(userId).GetNotificationContactAsync();

    private static string NotLinked(string? language) => Uk(language)
        ? "Цей чат ще не підключено. Відкрийте WG-Stream → Налаштування → Сповіщення → Підключити Telegram."
        : "This chat is not connected yet. Open WG-Stream → Settings → Notifications → Connect Telegram.";

    private static bool Uk(string? language) => NotificationText.IsUkrainian(language);

    /// <summary>Tokens are base64url (Telegram allows up to 64 such characters in a start parameter).</summary>
    private static bool IsToken(string token) => token.Length is > 0 and <= 64 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {ChatId} linked to user {UserId}")]
    private partial void LogLinked(Guid userId, long chatId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {ChatId} unlinked from user {UserId}")]
    private partial void LogUnlinked(Guid userId, long chatId);
}
