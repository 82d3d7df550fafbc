using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Grains.Accounts;
using WgStream.Gateways.Telegram;

namespace WgStream.Grains.Notifications;

[StatelessWorker]
public sealed class TelegramLinkGrain(TelegramLinkStore links, TelegramBot bot, IOptions<TelegramOptions> options, TimeProvider clock) : Grain, ITelegramLinkGrain
{
    public async Task<TelegramConnectLink> CreateLinkAsync(Guid userId)
    {
        var o = options.Value;
        if (!o.CanLink)
        {
            throw WgException.NotFound("Telegram notifications are not available on this server.");
        }

        // 24 random bytes: 32 base64url characters, inside Telegram's 64-character start parameter.
        var token = Secrets.NewToken(24);
        var expiresAt = clock.GetUtcNow() + o.LinkLifetime;
        await links.SaveTokenAsync(userId, Secrets.Hash(token), expiresAt);
        return new TelegramConnectLink($"https://t.me/{o.BotUsername.TrimStart('@')}?start={token}", expiresAt);
    }

    public Task<bool> DisconnectAsync(Guid userId) => links.UnlinkUserAsync(userId);

    public Task HandleMessageAsync(TelegramIncomingMessage message) => bot.HandleAsync(message);
}
