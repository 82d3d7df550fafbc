using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Videos;
using WgStream.Grains.Videos;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Gateways.Media;
using WgStream.Grains.Notifications;
using WgStream.Gateways.Telegram;
using WgStream.Gateways.Mail;

namespace WgStream.Grains.Accounts;

/// <summary>
/// Deletes a deactivated account at its deadline. The schedule is an Orleans reminder, stored in
/// PostgreSQL (<c>orleans_reminders</c>) like sponsorship expiry, so it survives restarts and moves
/// with the grain when a silo fails. Each step is idempotent: a tick cut short (or failing, as when
/// Stripe cannot be reached) comes round again after <see cref="RetryPeriod"/> and finishes the
/// job. Before anything is erased or announced, the account's Stripe subscriptions, paid by it or
/// paying its channel, are cancelled. The "account deleted" notice is sent
/// directly (e-mail and Telegram) just before the data it needs is erased; the notification
/// outbox could not, as it reads the address at delivery time.
/// </summary>
public sealed partial class AccountDeletionGrain(
    AccountErasureStore store,
    AccountStore accounts,
    VideoStore videos,
    IMediaStore media,
    IMailSender mailSender,
    TelegramGateway telegram,
    IOptions<AccountOptions> options,
    IOptions<MailOptions> mailOptions,
    TimeProvider clock,
    ILogger<AccountDeletionGrain> logger) : Grain, IAccountDeletionGrain, IRemindable
{
    private const string Reminder = "account-deletion";

    /// <summary>Orleans' minimum reminder period.</summary>
    private static readonly TimeSpan MinRetryPeriod = TimeSpan.FromMinutes(1);

    /// <summary>A far deadline is approached in steps (reminder timers cannot wait 49 days and more).</summary>
    private static readonly TimeSpan MaxDue = TimeSpan.FromDays(7);

    /// <summary>Notice attempts before the deletion goes ahead without it.</summary>
    private const int NoticeAttempts = 3;

    private bool noticeSent;
    private int noticeFailures;

    private Guid UserId => this.GetPrimaryKey();

    /// <summary>How long until a tick that did not finish is tried again.</summary>
    private TimeSpan RetryPeriod => options.Value.DeletionRetryPeriod > MinRetryPeriod ? options.Value.DeletionRetryPeriod : MinRetryPeriod;

    public Task ScheduleAsync(DateTimeOffset deletionAt)
    {
        var due = deletionAt - clock.GetUtcNow();
        due = due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due > MaxDue ? MaxDue : due;
        return this.RegisterOrUpdateReminder(Reminder, due, RetryPeriod);
    }

    public async Task CancelAsync()
    {
        noticeSent = false;
        noticeFailures = 0;
        if (await this.GetReminder(Reminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == Reminder)
        {
            await RunAsync();
        }
    }

    public async Task<bool> RunAsync()
    {
        var account = GrainFactory.GetGrain<IUserLifecycleGrain>(UserId);
        if (await account.GetDeactivationAsync() is not { } deactivation)
        {
            // Reactivated, or already gone.
            await CancelAsync();
            return false;
        }

        if (deactivation.DeletionAt > clock.GetUtcNow())
        {
            await ScheduleAsync(deactivation.DeletionAt);
            return false;
        }

        if (await account.BeginErasureAsync() is not { } erasure)
        {
            return false;
        }

        // Nobody goes on paying for, or through, a deleted account. Until every subscription is
        // cancelled on Stripe nothing is erased or announced: a failure throws, this tick fails,
        // and the reminder tries again after RetryPeriod (what was cancelled stays done).
        try
        {
            await GrainFactory.GetGrain<IAccountSponsorshipsGrain>(UserId).EndForDeletionAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSponsorshipsNotEnded(e, UserId, RetryPeriod);
            throw;
        }

        if (!noticeSent)
        {
            try
            {
                await SendNoticeAsync(erasure);
                noticeSent = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNoticeFailed(e, UserId, noticeFailures + 1);
                if (++noticeFailures < NoticeAttempts)
                {
                    // The reminder comes round again: the notice is worth a wait.
                    return false;
                }
            }
        }

        await EraseAsync(erasure);
        await account.CompleteErasureAsync();
        await CancelAsync();
        LogDeleted(UserId);
        return true;
    }

    private async Task SendNoticeAsync(AccountErasure erasure)
    {
        var content = new NotificationContent(SecurityKind: SecurityNoticeKind.AccountDeleted);
        var contact = new NotificationContact(erasure.Username, erasure.Email, erasure.EmailVerified, erasure.Language);
        var site = options.Value.PublicBaseUrl;
        if (telegram.Enabled && await store.TelegramChatAsync(UserId) is { } chatId)
        {
            try
            {
                await telegram.Client.SendMessage(chatId, NotificationText.Telegram(NotificationKind.Security, content, erasure.Language, site));
            }
            catch (ApiRequestException e) when (e.ErrorCode is 400 or 403)
            {
                // The bot was blocked or the chat is gone: nobody there to tell.
                LogTelegramRefused(UserId, e.Message);
            }
        }

        // Like every security notice: e-mail only to an address that proved to be the owner's.
        if (erasure.EmailVerified)
        {
            await mailSender.SendAsync(NotificationMail.Compose(NotificationKind.Security, content, contact, mailOptions.Value.From, site));
        }
    }

    private async Task EraseAsync(AccountErasure erasure)
    {
        // The channel with its profile, links and followers; then the account's own follows, each
        // through the followed channel's grain so its follower count stays exact.
        var imageKeys = await GrainFactory.GetGrain<IChannelGrain>(UserId).EraseAsync();

        // Its emotes with their files, and its emote prefix, which others may take from now on.
        await GrainFactory.GetGrain<IChannelEmotesGrain>(UserId).EraseAsync();
        foreach (var channelId in await store.FollowingAsync(UserId))
        {
            try
            {
                await GrainFactory.GetGrain<IChannelGrain>(channelId).UnfollowAsync(UserId);
            }
            catch (WgException e) when (e.Code == ErrorCodes.NotFound)
            {
                await store.DeleteFollowAsync(channelId, UserId);
            }
        }

        // Only storage: the objects are no longer referenced by anything.
        await media.DeleteQuietlyAsync(imageKeys, logger);

        // The channel's past broadcasts, with their files.
        foreach (var videoId in await videos.ChannelVideoIdsAsync(UserId))
        {
            await GrainFactory.GetGrain<IVideoGrain>(videoId).ExpireAsync();
        }

        // And its clips (clips its owner made of other channels stay with those channels).
        await GrainFactory.GetGrain<GrainInterfaces.Clips.IClipDirectoryGrain>(0).RemoveChannelClipsAsync(UserId);

        foreach (var roomId in await store.EraseRecordsAsync(UserId))
        {
            await GrainFactory.GetGrain<IChatRoomGrain>(roomId).ForgetSenderAsync(UserId, AccountErasureStore.DeletedUsername, AccountErasureStore.DeletedColor);
        }

        await GrainFactory.GetGrain<IChatRoomGrain>(UserId).RecheckChannelAsync();
        await Task.WhenAll(erasure.SessionIds.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).EraseAsync()));
        var reservation = options.Value.UsernameReservation;
        await accounts.ReleaseAsync(UserId, erasure.Username, reservation > TimeSpan.Zero ? clock.GetUtcNow() + reservation : null);
        await GrainFactory.GetGrain<IChannelNameGrain>(erasure.Username.ToLowerInvariant()).RefreshAsync();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not end the Stripe subscriptions of account {UserId}; its deletion waits and is tried again in {RetryPeriod}")]
    private partial void LogSponsorshipsNotEnded(Exception exception, Guid userId, TimeSpan retryPeriod);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserId} deleted at the end of its deactivation")]
    private partial void LogDeleted(Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the account-deleted notice to user {UserId} (attempt {Attempt})")]
    private partial void LogNoticeFailed(Exception exception, Guid userId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram refused the account-deleted notice for user {UserId}: {Reason}")]
    private partial void LogTelegramRefused(Guid userId, string reason);
}
