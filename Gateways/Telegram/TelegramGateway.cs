using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace WgStream.Gateways.Telegram;

/// <summary>The bot's Bot API client (Telegram.Bot), pointed at <see cref="TelegramOptions.ApiBaseUrl"/>; absent when no token is configured.</summary>
public sealed class TelegramGateway : IDisposable
{
    private readonly HttpClient? http;
    private readonly TelegramBotClient? client;

    public TelegramGateway(IOptions<TelegramOptions> options)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        // Longer than the getUpdates long poll, so a quiet poll is not cut off as a timeout.
        http = new HttpClient { Timeout = TimeSpan.FromSeconds(o.PollTimeoutSeconds + 30) };
        // Retries (including 429 "retry after") are the outbox's job, with its backoff and bookkeeping.
        client = new TelegramBotClient(new TelegramBotClientOptions(o.BotToken!, o.ApiBaseUrl) { RetryCount = 0 }, http);
    }

    public bool Enabled => client is not null;

    public ITelegramBotClient Client => client ?? throw new InvalidOperationException("Telegram is not configured (Telegram:BotToken).");

    public void Dispose() => http?.Dispose();
}
