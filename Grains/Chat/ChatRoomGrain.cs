using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Streams;
using WgStream.Grains.Accounts;
using WgStream.Grains.Chat.AutoMod;
using WgStream.Grains.Chat.Emotes;
using WgStream.ServiceDefaults;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Grains.Chat;

/// <summary>
/// One channel's chat. Reentrant so that sends can wait for the database together: while one batch
/// of messages is being written, the next batch gathers (group commit), and each batch is published
/// on the room's stream only after it is durable. Every rule is checked, and every sequence number
/// given out, inside a single turn, so checks and ordering cannot interleave. A call receives,
/// gathers what the rules need (I/O first), decides through <see cref="ChatRules"/>, applies the
/// outcome to the state, <see cref="RecentMessages"/> and <see cref="ChatSendLog"/>, and publishes it.
/// </summary>
[Reentrant]
public sealed partial class ChatRoomGrain(
    [PersistentState("chat", StorageNames.Default)] IPersistentState<ChatRoomState> room,
    ChatMessageStore store,
    HeldMessageStore heldStore,
    AutoModLexicon lexicon,
    ModerationLogStore log,
    SiteBannedUsers siteBans,
    ChannelEmoteCache emotes,
    IOptions<EmoteOptions> emoteOptions,
    IOptions<ChatOptions> options,
    TimeProvider clock,
    WgMetrics metrics,
    ILogger<ChatRoomGrain> logger) : Grain, IChatRoomGrain
{
    private readonly RecentMessages recent = new();
    private readonly ChatSendLog sendLog = new();
    private readonly Dictionary<Guid, (ChatIdentity Identity, DateTimeOffset Fetched)> identities = [];
    private readonly Dictionary<Guid, (DateTimeOffset? Since, DateTimeOffset Checked)> follows = [];
    private readonly Dictionary<Guid, (bool Verified, bool Sponsor, DateTimeOffset Checked)> badgeChecks = [];
    /// <summary>Messages given a sequence number but not yet stored, by id: a retry of one of them waits for the same write.</summary>
    private readonly Dictionary<Guid, (ChatMessage Message, Task Stored)> unconfirmed = [];
    private readonly SemaphoreSlim stateWrites = new(1, 1);
    private IAsyncStream<ChatEventBatch> stream = null!;
    private ChatWriteBatch? pending;
    private bool flushing;
    private long lastSeq;
    private bool channelExists;

    private ChatOptions Options => options.Value;

    private ChatRoomState State => room.State;

    private ChatSettings Settings => State.Settings ?? ChatSettings.Default;

    private Guid ChannelId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        stream = this.GetStreamProvider(StreamNames.Provider).GetStream<ChatEventBatch>(StreamId.Create(StreamNames.Chat, ChannelId));
        await RecoverUnloggedActionsAsync();
        lastSeq = await store.LastSeqAsync(ChannelId);
        var newest = await store.ReadAsync(ChannelId, Options.HistorySize, null, State.ClearedSeq);
        recent.Load(newest.Messages, newest.HasMore);
        await ActivateHoldQueueAsync();
    }

    public async Task<ChatMessage> SendAsync(Guid senderId, string text, Guid messageId, Guid? replyTo, CancellationToken cancellationToken)
    {
        if (Earlier(senderId, messageId) is { } earlier)
        {
            return await earlier;
        }

        // This silo's set of banned accounts: a lookup, so a ban holds in rooms that were already active.
        if (siteBans.IsBanned(senderId))
        {
            throw WgException.AccountBanned("Your account is banned from WG-Stream.");
        }

        await EnsureChannelAsync();
        var cleaned = ChatText.Clean(text, Options.MaxMessageLength);
        // Everything that needs I/O first; the rules below then run against the state as it is now.
        var fragments = await MentionsAsync(ChatText.Parse(cleaned, await UsableEmotesAsync(senderId, cleaned)));
        var reply = replyTo is { } parentId ? await ReplyToAsync(parentId) : null;
        var identity = await IdentityAsync(senderId);
        var (verified, sponsor) = await BadgeChecksAsync(senderId);
        var exempt = IsBroadcasterOrModerator(senderId);
        var vip = !exempt && State.Vips.Contains(senderId);
        var followedSince = ChatRules.NeedsFollowDate(Settings, exempt, vip) ? await FollowedSinceAsync(senderId) : null;

        // A caller that has given up on this attempt retries with the same id; sending it now would
        // only race that retry. Past this point the message is the room's and is stored regardless.
        cancellationToken.ThrowIfCancellationRequested();
        if (Earlier(senderId, messageId) is { } retried)
        {
            // The same message arrived again while this call waited above: one of them adds it.
            return await retried;
        }

        var now = clock.GetUtcNow();
        var folded = BlockedTerms.Prepare(cleaned);
        var sender = new ChatSender(
            exempt, vip, sponsor, followedSince, ChatRules.ActiveBan(State.Bans, senderId, now),
            sendLog.Window(senderId, now, Options.RateWindow), sendLog.LastSent(senderId));
        if (ChatRules.SendRefusal(Settings, sender, folded, fragments, PlatformTerms, ChannelTerms, Options, now) is { } refusal)
        {
            throw refusal;
        }

        var badges = ChatRules.Badges(senderId, ChannelId, State.Moderators.Contains(senderId), vip, verified, sponsor);
        var id = messageId == Guid.Empty ? Guid.CreateVersion7(now) : messageId;
        if (!exempt && ChatRules.HoldReason(Settings, lexicon, cleaned, folded, vip, State.AllowedLinkDomains, PlatformDomains) is { } category)
        {
            // Counts against the flood limit and slow mode like a posted message: holding is no way around them.
            RecordSend(senderId, now);
            await HoldAsync(new ChatMessage(id, 0, ChannelId, senderId, identity.Username, identity.Color, badges, now, cleaned, fragments, reply), category);
        }

        var message = new ChatMessage(id, ++lastSeq, ChannelId, senderId, identity.Username, identity.Color, badges, now, cleaned, fragments, reply);
        RecordSend(senderId, now);
        var stored = EnqueueAsync(new ChatEvent(ChatEventKind.MessageAdded, ChannelId, message.Seq, Message: message), batch => batch.Added.Add(message));
        unconfirmed[id] = (message, stored);
        try
        {
            await stored;
        }
        finally
        {
            unconfirmed.Remove(id);
        }

        await NotifyMentionsAsync(message);
        return message;
    }

    /// <summary>
    /// The message this sender already sent under <paramref name="messageId"/>: still being stored, or
    /// among the recent ones (which, after a failover, were read back from the table on activation).
    /// </summary>
    private Task<ChatMessage>? Earlier(Guid senderId, Guid messageId)
    {
        if (messageId == Guid.Empty)
        {
            return null;
        }

        if (unconfirmed.TryGetValue(messageId, out var inFlight))
        {
            return ChatRules.MessageIdTaken(inFlight.Message.SenderId, senderId) is { } taken ? throw taken : WhenStored(inFlight.Message, inFlight.Stored);
        }

        if (EarlierHeld(senderId, messageId) is { } wasHeld)
        {
            return wasHeld;
        }

        // Newest first: a retry is of a message sent moments ago.
        if (recent.Find(messageId) is { } sent)
        {
            return ChatRules.MessageIdTaken(sent.SenderId, senderId) is { } taken ? throw taken : Task.FromResult(sent);
        }

        return null;

        static async Task<ChatMessage> WhenStored(ChatMessage message, Task stored)
        {
            await stored;
            return message;
        }
    }

    public async Task<ChatHistory> GetHistoryAsync(int last, long? beforeSeq)
    {
        Check(ChatRules.HistoryPage(last));

        await EnsureChannelAsync();

        // The newest page comes from memory; scrolling further back reads the table.
        if (beforeSeq is null && (recent.Count >= last || recent.HoldsAll))
        {
            var page = recent.Newest(last);
            var hasMore = recent.Count > last || (page.Count > 0 && await HasOlderAsync(page[0].Seq));
            return new ChatHistory(page, hasMore);
        }

        return await store.ReadAsync(ChannelId, last, beforeSeq, State.ClearedSeq);
    }

    public async Task<ChatRoomInfo> GetInfoAsync()
    {
        await EnsureChannelAsync();
        var now = clock.GetUtcNow();
        var bans = State.Bans.Values.Where(b => ChatRules.InEffect(b, now)).OrderByDescending(b => b.At).ToList();
        return new ChatRoomInfo(Settings, State.Moderators.ToList(), bans, State.Vips.ToList(), State.Pinned is { } pin && pin.Until > now ? pin : null);
    }

    public Task<ChatStanding> GetStandingAsync(Guid userId) =>
        Task.FromResult(new ChatStanding(userId == ChannelId, State.Moderators.Contains(userId), ChatRules.ActiveBan(State.Bans, userId, clock.GetUtcNow()), State.Vips.Contains(userId)));

    public async Task DeleteMessageAsync(Guid actorId, Guid messageId)
    {
        EnsureModerator(actorId);
        var removed = recent.Remove(messageId);
        var entry = NewLogEntry(actorId, ModerationAction.DeleteMessage, removed?.SenderId, messageId, details: removed is null ? null : $"{removed.Username}: {removed.Text}");
        if (State.Pinned?.Message.Id == messageId)
        {
            // A deleted message does not stay pinned; clients drop the pin with the message.
            State.Pinned = null;
            await SaveStateAsync();
        }

        await EnqueueAsync(new ChatEvent(ChatEventKind.MessageDeleted, ChannelId, ++lastSeq, MessageId: messageId), batch =>
        {
            batch.Deleted.Add(messageId);
            batch.Logged.Add(entry);
        });
    }

    public Task TimeoutAsync(Guid actorId, Guid userId, int seconds, string? reason)
    {
        Check(ChatRules.TimeoutLength(seconds, Options.MaxTimeoutSeconds));
        return RestrictAsync(actorId, userId, clock.GetUtcNow().AddSeconds(seconds), reason);
    }

    public Task BanAsync(Guid actorId, Guid userId, string? reason) => RestrictAsync(actorId, userId, null, reason);

    public async Task UnbanAsync(Guid actorId, Guid userId)
    {
        EnsureModerator(actorId);
        if (!State.Bans.Remove(userId))
        {
            throw WgException.NotFound("That user is not banned or timed out here.");
        }

        var entry = NewLogEntry(actorId, ModerationAction.Unban, userId);
        await SaveStateWithAsync(entry);
        await EnqueueAsync(new ChatEvent(ChatEventKind.UserUnbanned, ChannelId, ++lastSeq, UserId: userId), batch => batch.Logged.Add(entry));
        Logged(entry);
    }

    public async Task AddModeratorAsync(Guid actorId, Guid userId)
    {
        Check(ChatRules.NewModerator(actorId, userId, ChannelId));
        await GrantRoleAsync(actorId, userId, State.Moderators, ModerationAction.AddModerator);
    }

    public Task RemoveModeratorAsync(Guid actorId, Guid userId) =>
        RevokeRoleAsync(actorId, userId, State.Moderators, ModerationAction.RemoveModerator, "That user is not a moderator here.");

    /// <summary>
    /// Adds an existing account to a role's holders (moderators, VIPs) once the caller's rule has
    /// allowed it. Adding a holder again changes nothing and logs nothing.
    /// </summary>
    private async Task GrantRoleAsync(Guid actorId, Guid userId, HashSet<Guid> holders, ModerationAction action)
    {
        if (await GrainFactory.GetGrain<IUserProfileGrain>(userId).GetChatIdentityAsync() is null)
        {
            throw WgException.NotFound("No such user.");
        }

        if (holders.Add(userId))
        {
            var entry = NewLogEntry(actorId, action, userId);
            await SaveStateWithAsync(entry);
            await AppendSavedAsync(entry);
        }
    }

    /// <summary>Takes a role (moderator, VIP) away: the broadcaster's call only, and logged.</summary>
    private async Task RevokeRoleAsync(Guid actorId, Guid userId, HashSet<Guid> holders, ModerationAction action, string notHolder)
    {
        EnsureBroadcaster(actorId);
        if (!holders.Remove(userId))
        {
            throw WgException.NotFound(notHolder);
        }

        var entry = NewLogEntry(actorId, action, userId);
        await SaveStateWithAsync(entry);
        await AppendSavedAsync(entry);
    }

    public async Task<ChatSettings> UpdateSettingsAsync(Guid actorId, ChatSettingsUpdate update)
    {
        EnsureModerator(actorId);
        Check(ChatRules.SettingsRefusal(Settings, update, Options));
        var settings = ChatRules.Apply(Settings, update);
        State.Settings = settings;
        var entry = NewLogEntry(actorId, ModerationAction.SettingsChanged, details: Describe(settings));
        await SaveStateWithAsync(entry);
        await EnqueueAsync(new ChatEvent(ChatEventKind.SettingsChanged, ChannelId, ++lastSeq, Settings: settings), batch => batch.Logged.Add(entry));
        Logged(entry);
        return settings;
    }

    public Task RecheckChannelAsync()
    {
        channelExists = false;
        return Task.CompletedTask;
    }

    public Task ForgetSenderAsync(Guid senderId, string username, string color)
    {
        recent.Rename(senderId, username, color);
        identities.Remove(senderId);
        return Task.CompletedTask;
    }

    private async Task RestrictAsync(Guid actorId, Guid userId, DateTimeOffset? until, string? reason)
    {
        Check(ChatRules.Restriction(actorId, userId, ChannelId, State.Moderators));
        reason = reason is null ? null : ChatText.Clean(reason, 200);
        var now = clock.GetUtcNow();
        // Timeouts that have run out restrict nobody; without this they would stay in the room's
        // state (and every save of it) for good.
        foreach (var expired in ChatRules.RunOut(State.Bans, now))
        {
            State.Bans.Remove(expired);
        }

        // In memory first: the very next message from this user is refused, whatever the writes below are doing.
        State.Bans[userId] = new ChatBan(userId, until, reason, actorId, now);
        if (State.Pinned?.Message.SenderId == userId)
        {
            // Their messages leave the room, the pinned one too.
            State.Pinned = null;
        }

        recent.RemoveFrom(userId);
        var entry = NewLogEntry(
            actorId, until is null ? ModerationAction.Ban : ModerationAction.Timeout, userId, reason: reason,
            details: until is { } end ? $"until {end:u} ({(int)Math.Round((end - now).TotalSeconds)} s)" : null);
        await SaveStateWithAsync(entry);
        await DenyHeldFromAsync(actorId, userId);
        await EnqueueAsync(
            new ChatEvent(ChatEventKind.UserBanned, ChannelId, ++lastSeq, UserId: userId, Until: until, Reason: reason),
            batch =>
            {
                batch.Purged.Add(userId);
                batch.Logged.Add(entry);
            });
        Logged(entry);
    }

    /// <summary>Counts a message against the sender's flood limit and slow mode.</summary>
    private void RecordSend(Guid senderId, DateTimeOffset now) =>
        sendLog.Record(senderId, now, Options.RateWindow, TimeSpan.FromSeconds(Options.MaxSlowModeSeconds));

    /// <summary>Throws what a rule refused; allowed is null.</summary>
    private static void Check(WgException? refusal)
    {
        if (refusal is not null)
        {
            throw refusal;
        }
    }

    private bool IsBroadcasterOrModerator(Guid userId) => ChatRules.IsBroadcasterOrModerator(userId, ChannelId, State.Moderators);

    /// <summary>Rooms exist for channels only; the answer "yes" never changes, so it is remembered.</summary>
    private async Task EnsureChannelAsync()
    {
        channelExists = channelExists || await GrainFactory.GetGrain<IChannelGrain>(ChannelId).GetAsync() is not null;
        if (!channelExists)
        {
            throw WgException.NotFound("No such channel.");
        }
    }

    private void EnsureModerator(Guid actorId) => Check(ChatRules.ModeratorsOnly(actorId, ChannelId, State.Moderators));

    private void EnsureBroadcaster(Guid actorId) => Check(ChatRules.BroadcasterOnly(actorId, ChannelId));

    private async Task<ChatIdentity> IdentityAsync(Guid userId)
    {
        var now = clock.GetUtcNow();
        if (identities.TryGetValue(userId, out var cached) && now - cached.Fetched < Options.IdentityCacheTime)
        {
            return cached.Identity;
        }

        var identity = await GrainFactory.GetGrain<IUserProfileGrain>(userId).GetChatIdentityAsync()
            ?? throw WgException.Unauthenticated("No such account.");
        if (identities.Count > 10_000)
        {
            identities.Clear();
        }

        identities[userId] = (identity, now);
        return identity;
    }

    private async Task<DateTimeOffset?> FollowedSinceAsync(Guid userId)
    {
        var now = clock.GetUtcNow();
        // "Follows" is believed for minutes (an unfollow shows within that), "does not follow" for seconds.
        if (follows.TryGetValue(userId, out var cached)
            && now - cached.Checked < (cached.Since is not null ? Options.FollowingCacheTime : Options.NotFollowingCacheTime))
        {
            return cached.Since;
        }

        var since = await GrainFactory.GetGrain<IChannelGrain>(ChannelId).GetFollowedSinceAsync(userId);
        if (follows.Count > 10_000)
        {
            follows.Clear();
        }

        follows[userId] = (since, now);
        return since;
    }

    /// <summary>Whether the sender's own channel is verified and whether they sponsor this one, briefly cached.</summary>
    private async Task<(bool Verified, bool Sponsor)> BadgeChecksAsync(Guid userId)
    {
        var now = clock.GetUtcNow();
        if (badgeChecks.TryGetValue(userId, out var cached) && now - cached.Checked < Options.BadgeCacheTime)
        {
            return (cached.Verified, cached.Sponsor);
        }

        var channel = GrainFactory.GetGrain<IChannelGrain>(userId).GetAsync();
        var sponsor = userId != ChannelId && await GrainFactory.GetGrain<IChannelSponsorsGrain>(ChannelId).IsSponsorAsync(userId);
        var verified = (await channel)?.Verified == true;
        if (badgeChecks.Count > 10_000)
        {
            badgeChecks.Clear();
        }

        badgeChecks[userId] = (verified, sponsor, now);
        return (verified, sponsor);
    }

    private async Task<bool> HasOlderAsync(long seq) => (await store.ReadAsync(ChannelId, 1, seq, State.ClearedSeq)).Messages.Count > 0;

    /// <summary>State writes are serialised: a reentrant grain may otherwise start two at once, and the second would lose its ETag race.</summary>
    private async Task SaveStateAsync()
    {
        await stateWrites.WaitAsync();
        try
        {
            await room.WriteStateAsync();
        }
        finally
        {
            stateWrites.Release();
        }
    }

    /// <summary>
    /// Adds an event to the batch being gathered and waits until that batch is stored and published.
    /// Events enter batches in sequence order and batches are flushed one at a time, so the stream
    /// carries the room's events in order.
    /// </summary>
    private Task EnqueueAsync(ChatEvent chatEvent, Action<ChatWriteBatch> addRows)
    {
        pending ??= new ChatWriteBatch();
        pending.Events.Add(chatEvent);
        addRows(pending);
        var done = pending.Done.Task;
        if (!flushing)
        {
            flushing = true;
            _ = FlushAsync();
        }

        return done;
    }

    private async Task FlushAsync()
    {
        while (pending is { } batch)
        {
            pending = null;
            try
            {
                await store.WriteAsync(ChannelId, batch.Events[^1].Seq, batch.Added, batch.Deleted, batch.Purged, batch.ApprovedHeld, batch.Logged);
            }
            catch (Exception e)
            {
                LogStoreFailed(e, ChannelId, batch.Events.Count);
                batch.Done.TrySetException(e);
                continue;
            }

            metrics.ChatMessages.Add(batch.Added.Count);
            var now = clock.GetUtcNow();
            CountActivity(batch.Added, now);
            foreach (var message in batch.Added.Where(m => ChatRules.ActiveBan(State.Bans, m.SenderId, now) is null))
            {
                recent.Add(message);
            }

            recent.Trim(Options.HistorySize);

            try
            {
                await stream.OnNextAsync(new ChatEventBatch(ChannelId, batch.Events));
            }
            catch (Exception e)
            {
                // Stored, so acknowledged: viewers who missed it live find it in history.
                LogPublishFailed(e, ChannelId, batch.Events.Count);
            }

            batch.Done.TrySetResult();
        }

        flushing = false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat room {ChannelId} could not store {Count} events")]
    private partial void LogStoreFailed(Exception exception, Guid channelId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat room {ChannelId} stored but could not publish {Count} events")]
    private partial void LogPublishFailed(Exception exception, Guid channelId, int count);
}
