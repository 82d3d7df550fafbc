using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Grains.Accounts;
using WgStream.Gateways.Telegram;
using WgStream.Gateways.Mail;

namespace WgStream.Grains.Notifications;

/// <summary>
/// Delivers <c>notification_outbox</c> rows. Each worker claims one due row with
/// <c>FOR UPDATE SKIP LOCKED</c>, sends it while holding the lock, and records the outcome in that
/// same transaction right after the send: delivered rows are never claimed again, failures are
/// retried with exponential backoff up to <see cref="NotificationOptions.MaxAttempts"/>. What is left
/// is the at-least-once window between a successful send and the commit (see README).
/// </summary>
public sealed partial class NotificationOutboxDispatcher(
    NotificationOutboxStore outbox,
    NotificationSignal signal,
    IGrainFactory grains,
    IMailSender mail,
    TelegramGateway telegram,
    TelegramLinkStore links,
    IOptions<NotificationOptions> options,
    IOptions<MailOptions> mailOptions,
    IOptions<AccountOptions> accountOptions,
    IHostApplicationLifetime lifetime,
    ILogger<NotificationOutboxDispatcher> logger) : BackgroundService
{
    private NotificationOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.DeliveryEnabled)
        {
            return;
        }

        await lifetime.WaitForStartAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Options.DeliveryConcurrency)).Select(_ => WorkAsync(stoppingToken)));
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool worked;
            try
            {
                worked = await DeliverNextAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogWorkerFailed(e);
                worked = false;
            }

            if (!worked)
            {
                try
                {
                    await signal.Outbox.WaitAsync(Options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims, sends and settles one row; false when nothing is due.</summary>
    internal async Task<bool> DeliverNextAsync(CancellationToken cancellationToken)
    {
        await using var claim = await outbox.ClaimNextAsync(cancellationToken);
        if (claim is null)
        {
            return false;
        }

        var row = claim.Row;
        var outcome = await SendAsync(row, cancellationToken);
        var attempts = row.Attempts + (outcome.Status == "skipped" ? 0 : 1);
        var status = outcome.Status == "retry" && attempts >= Options.MaxAttempts ? "failed" : outcome.Status;
        await claim.SettleAsync(
            status == "retry" ? "pending" : status,
            attempts,
            outcome.Error,
            DateTimeOffset.UtcNow + (outcome.RetryAfter is { } after && after > Options.RetryDelay(attempts) ? after : Options.RetryDelay(attempts)));
        if (status is "failed")
        {
            LogGaveUp(row.Id, row.Medium, row.UserId, outcome.Error);
        }

        return true;
    }

    private async Task<Outcome> SendAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.SendTimeout);
        try
        {
            var contact = await grains.GetGrain<IUserProfileGrain>(row.UserId).GetNotificationContactAsync();
            if (contact is null)
            {
                return Outcome.Skipped("No such account.");
            }

            var site = accountOptions.Value.PublicBaseUrl;
            switch (row.Medium)
            {
                case "email" when row.Content.MailTo is { } previousAddress:
                    // A notice for the account's previous address (set only when that one was verified).
                    await mail.SendAsync(NotificationMail.Compose(row.Kind, row.Content, contact with { Email = previousAddress }, mailOptions.Value.From, site), timeout.Token);
                    return Outcome.Delivered;

                case "email":
                    if (!contact.EmailVerified)
                    {
                        // Only a verified address has shown it belongs to the account holder.
                        return Outcome.Skipped("The e-mail address is not verified.");
                    }

                    await mail.SendAsync(NotificationMail.Compose(row.Kind, row.Content, contact, mailOptions.Value.From, site), timeout.Token);
                    return Outcome.Delivered;

                case "telegram":
                    if (row.ChatId is not { } chatId)
                    {
                        return Outcome.Skipped("Telegram is no longer linked.");
                    }

                    if (!telegram.Enabled)
                    {
                        return Outcome.Skipped("Telegram is not configured on this server.");
                    }

                    await telegram.Client.SendMessage(chatId, NotificationText.Telegram(row.Kind, row.Content, contact.Language, site), cancellationToken: timeout.Token);
                    return Outcome.Delivered;

                default:
                    return Outcome.Failed($"Unknown medium {row.Medium}.");
            }
        }
        catch (ApiRequestException e) when (e.ErrorCode == 403)
        {
            // The user blocked the bot or left the chat: nothing will get through until they link again.
            if (row.ChatId is { } chat)
            {
                await links.UnlinkChatAsync(chat);
            }

            return Outcome.Skipped($"Telegram refused the chat: {e.Message}");
        }
        catch (ApiRequestException e) when (e.ErrorCode == 400)
        {
            return Outcome.Failed($"Telegram rejected the message: {e.Message}");
        }
        catch (ApiRequestException e) when (e.ErrorCode == 429 && e.Parameters?.RetryAfter is { } seconds)
        {
            return Outcome.Retry($"Telegram rate limit: {e.Message}", TimeSpan.FromSeconds(seconds));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogSendFailed(e, row.Id, row.Medium, row.Attempts + 1);
            return Outcome.Retry($"{e.GetType().Name}: {e.Message}", null);
        }
    }

    private sealed record Outcome(string Status, string? Error, TimeSpan? RetryAfter)
    {
        public static readonly Outcome Delivered = new("delivered", null, null);

        public static Outcome Skipped(string reason) => new("skipped", reason, null);

        public static Outcome Failed(string error) => new("failed", NotificationJobStore.Truncate(error), null);

        public static Outcome Retry(string error, TimeSpan? after) => new("retry", NotificationJobStore.Truncate(error), after);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending notification outbox row {Id} by {Medium} failed (attempt {Attempt}); will retry")]
    private partial void LogSendFailed(Exception exception, long id, string medium, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up on notification outbox row {Id} by {Medium} for user {UserId}: {Error}")]
    private partial void LogGaveUp(long id, string medium, Guid userId, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification delivery worker failed; it carries on")]
    private partial void LogWorkerFailed(Exception exception);
}

internal static class HostLifetimeExtensions
{
    /// <summary>Waits until the host (and so the silo) has started: grains and streams answer from then on.</summary>
    public static async Task WaitForStartAsync(this IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }
}
