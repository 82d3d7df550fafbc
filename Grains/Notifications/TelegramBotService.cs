using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;
using WgStream.Grains.Infrastructure.Database;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Gateways.Telegram;

namespace WgStream.Grains.Notifications;

/// <summary>
/// Receives what people send the bot. Polling mode (the default): one silo at a time (a PostgreSQL
/// advisory lock elects it; Telegram allows one getUpdates consumer) long-polls getUpdates and
/// hands each text message to <see cref="TelegramBot"/>. Webhook mode: the Api receives updates;
/// here the webhook is only registered with Telegram when <see cref="TelegramOptions.WebhookBaseUrl"/> is set.
/// </summary>
public sealed partial class TelegramBotService(
    TelegramGateway gateway,
    TelegramBot bot,
    NpgsqlDataSource dataSource,
    IOptions<TelegramOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<TelegramBotService> logger) : BackgroundService
{
    // Any constant; the same on every silo.
    private const long PollerLockKey = 0x5767_5467_506F_6C6C;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!gateway.Enabled)
        {
            return;
        }

        await lifetime.WaitForStartAsync(stoppingToken);
        var o = options.Value;
        if (o.UsesWebhook)
        {
            await RegisterWebhookAsync(o, stoppingToken);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var pollerLock = await AdvisoryLock.TryTakeAsync(dataSource, PollerLockKey, stoppingToken);
                if (pollerLock is not null)
                {
                    await PollAsync(o, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPollerFailed(e);
            }

            // Another silo polls (or the database was unreachable): check again later.
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollAsync(TelegramOptions o, CancellationToken stoppingToken)
    {
        // getUpdates does not work while a webhook is set.
        await gateway.Client.DeleteWebhook(cancellationToken: stoppingToken);
        LogPolling();
        int? offset = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            Telegram.Bot.Types.Update[] updates;
            try
            {
                updates = await gateway.Client.GetUpdates(offset, limit: 100, timeout: o.PollTimeoutSeconds, allowedUpdates: [UpdateType.Message], cancellationToken: stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                LogGetUpdatesFailed(e, failures);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, failures - 1))), stoppingToken);
                continue;
            }

            foreach (var update in updates)
            {
                // The next getUpdates with a higher offset confirms this one to Telegram.
                offset = update.Id + 1;
                if (update.Message is { Text: { } text } message)
                {
                    try
                    {
                        await bot.HandleAsync(new TelegramIncomingMessage(message.Chat.Id, text, message.From?.Username, message.From?.LanguageCode), stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogHandleFailed(e, message.Chat.Id);
                    }
                }
            }
        }
    }

    private async Task RegisterWebhookAsync(TelegramOptions o, CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(o.WebhookBaseUrl) || string.IsNullOrWhiteSpace(o.WebhookSecret))
        {
            return;
        }

        try
        {
            await gateway.Client.SetWebhook(
                $"{o.WebhookBaseUrl.TrimEnd('/')}/webhooks/telegram/{o.WebhookSecret}",
                allowedUpdates: [UpdateType.Message],
                secretToken: o.WebhookSecret,
                cancellationToken: stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWebhookFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling Telegram for bot updates")]
    private partial void LogPolling();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram getUpdates failed ({Failures} in a row)")]
    private partial void LogGetUpdatesFailed(Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram message from chat {ChatId} could not be handled")]
    private partial void LogHandleFailed(Exception exception, long chatId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram poller failed; retrying")]
    private partial void LogPollerFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Registering the Telegram webhook failed")]
    private partial void LogWebhookFailed(Exception exception);
}
