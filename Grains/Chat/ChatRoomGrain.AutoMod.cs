using Microsoft.Extensions.Logging;
using Orleans.Streams;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Chat.AutoMod;
using WgStream.Grains.Common;

namespace WgStream.Grains.Chat;

/// <summary>
/// AutoMod's hold queue. A message that trips the channel's filter level (or links to a domain it
/// does not allow, while links are held) is neither posted nor refused: it waits, durably, in
/// <c>chat_held_messages</c> until a moderator approves it (it is then posted with the time it was
/// sent), denies it, or it expires. The broadcaster and moderators are never held; VIPs are not held
/// for links. Moderators follow the queue on the room's <see cref="StreamNames.ChatHeld"/> stream.
/// </summary>
public sealed partial class ChatRoomGrain
{
    private const int RememberedDecisions = 1_000;

    /// <summary>The queue, oldest first: at most <see cref="ChatOptions.MaxHeldMessages"/>, so a list is as fast as anything.</summary>
    private readonly List<HeldChatMessage> held = [];

    /// <summary>What became of messages that left the queue lately, so a second moderator's click is told CONFLICT, not NOT_FOUND.</summary>
    private readonly Dictionary<Guid, HeldMessageEventKind> decided = [];

    private IAsyncStream<HeldMessageEvent> heldStream = null!;
    private IGrainTimer? expiryTimer;
    private string[]? platformDomains;

    /// <summary>The operators' allowed domains, normalised once per activation (a bad entry is a configuration mistake and fails here loudly).</summary>
    private string[] PlatformDomains => platformDomains ??= [.. Options.AllowedLinkDomains.Select(ChatLinks.NormalizeDomain).Distinct(StringComparer.Ordinal)];

    public Task<Page<HeldChatMessage>> GetHeldMessagesAsync(Guid actorId, int first, string? after)
    {
        EnsureModerator(actorId);
        var size = Cursor.PageSize(first);
        var now = clock.GetUtcNow();
        var start = 0;
        if (after is not null)
        {
            var afterId = Guid.TryParse(Cursor.Decode(after, 1)[0], out var parsed) ? parsed : throw WgException.BadInput("The cursor is not one this API gave out.", "after");
            // A cursor whose message has left the queue since still pages on: from its place in time.
            var index = held.FindIndex(h => h.Message.Id == afterId);
            start = index >= 0 ? index + 1 : held.Count;
        }

        var waiting = held.Skip(start).Where(h => h.ExpiresAt > now).Take(size + 1).ToList();
        var edges = waiting.Take(size).Select(h => new Edge<HeldChatMessage>(Cursor.Encode(h.Message.Id.ToString()), h)).ToList();
        return Task.FromResult(new Page<HeldChatMessage>(edges, waiting.Count > size));
    }

    public async Task<ChatMessage> ApproveHeldMessageAsync(Guid actorId, Guid messageId)
    {
        EnsureModerator(actorId);
        var entry = TakeHeld(messageId, HeldMessageEventKind.Approved);
        var message = entry.Message with { Seq = ++lastSeq };
        var logged = NewLogEntry(actorId, ModerationAction.ApproveHeldMessage, message.SenderId, messageId, details: Describe(entry));
        try
        {
            // The queue row and the log entry go in the transaction that posts the message: posted
            // and held cannot both be true, and the approval is recorded if and only if it happened.
            await EnqueueAsync(new ChatEvent(ChatEventKind.MessageAdded, ChannelId, message.Seq, Message: message), batch =>
            {
                batch.Added.Add(message);
                batch.ApprovedHeld.Add(messageId);
                batch.Logged.Add(logged);
            });
        }
        catch
        {
            PutBack(entry);
            throw;
        }

        await PublishHeldAsync(new HeldMessageEvent(HeldMessageEventKind.Approved, ChannelId, messageId, ByUserId: actorId));
        await NotifyMentionsAsync(message);
        return message;
    }

    public async Task DenyHeldMessageAsync(Guid actorId, Guid messageId)
    {
        EnsureModerator(actorId);
        var entry = TakeHeld(messageId, HeldMessageEventKind.Denied);
        try
        {
            await heldStore.RemoveAsync(ChannelId, [messageId], [NewLogEntry(actorId, ModerationAction.DenyHeldMessage, entry.Message.SenderId, messageId, details: Describe(entry))]);
        }
        catch
        {
            PutBack(entry);
            throw;
        }

        await PublishHeldAsync(new HeldMessageEvent(HeldMessageEventKind.Denied, ChannelId, messageId, ByUserId: actorId));
    }

    public Task<IReadOnlyList<string>> GetAllowedLinkDomainsAsync(Guid actorId)
    {
        EnsureModerator(actorId);
        return Task.FromResult<IReadOnlyList<string>>([.. State.AllowedLinkDomains]);
    }

    public async Task<IReadOnlyList<string>> SetAllowedLinkDomainsAsync(Guid actorId, IReadOnlyList<string> domains)
    {
        EnsureModerator(actorId);
        Check(ChatRules.TooManyLinkDomains(domains.Count, Options.MaxAllowedLinkDomains));

        var normalized = domains.Select(ChatLinks.NormalizeDomain).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (normalized.SequenceEqual(State.AllowedLinkDomains, StringComparer.Ordinal))
        {
            return normalized;
        }

        State.AllowedLinkDomains = normalized;
        var logged = NewLogEntry(actorId, ModerationAction.LinkDomainsChanged, details: normalized.Count == 0 ? "(none)" : string.Join(", ", normalized));
        await SaveStateWithAsync(logged);
        await AppendSavedAsync(logged);
        return normalized;
    }

    /// <summary>Reads the queue back: it is durable, and the silo that held a message may be gone.</summary>
    private async Task ActivateHoldQueueAsync()
    {
        heldStream = this.GetStreamProvider(StreamNames.Provider).GetStream<HeldMessageEvent>(StreamId.Create(StreamNames.ChatHeld, ChannelId));
        held.AddRange(await heldStore.ReadAsync(ChannelId));
        if (held.Count > 0)
        {
            StartExpiryTimer();
        }
    }

    /// <summary>Puts the message in the queue durably, tells the moderators, and answers the sender HELD (thrown: nothing was posted).</summary>
    private async Task HoldAsync(ChatMessage message, AutoModCategory category)
    {
        var now = clock.GetUtcNow();
        Check(ChatRules.HoldQueueFull(held.Count(h => h.ExpiresAt > now), Options.MaxHeldMessages));

        var entry = new HeldChatMessage(message, category, now + Options.HeldMessageLifetime);
        // In memory first, so a retry of this send (same id) while the row is written is answered HELD too.
        held.Add(entry);
        try
        {
            await heldStore.AddAsync(entry);
        }
        catch
        {
            held.Remove(entry);
            throw;
        }

        StartExpiryTimer();
        await PublishHeldAsync(new HeldMessageEvent(HeldMessageEventKind.Held, ChannelId, message.Id, Held: entry));
        throw HeldRefusal();
    }

    /// <summary>A ban or timeout denies what the user has waiting: a moderator who just removed them should not have to deny their queue too.</summary>
    private async Task DenyHeldFromAsync(Guid actorId, Guid userId)
    {
        var theirs = held.Where(h => h.Message.SenderId == userId).ToList();
        if (theirs.Count == 0)
        {
            return;
        }

        foreach (var entry in theirs)
        {
            held.Remove(entry);
            Remember(entry.Message.Id, HeldMessageEventKind.Denied);
        }

        await heldStore.RemoveAsync(ChannelId, [.. theirs.Select(h => h.Message.Id)]);
        foreach (var entry in theirs)
        {
            await PublishHeldAsync(new HeldMessageEvent(HeldMessageEventKind.Denied, ChannelId, entry.Message.Id, ByUserId: actorId));
        }
    }

    /// <summary>The sender's own retry of a message that is (or was) held: the same answer, without holding it twice.</summary>
    private Task<ChatMessage>? EarlierHeld(Guid senderId, Guid messageId)
    {
        var waiting = held.Find(h => h.Message.Id == messageId);
        if (waiting is not null)
        {
            return ChatRules.MessageIdTaken(waiting.Message.SenderId, senderId) is { } taken ? throw taken : Task.FromException<ChatMessage>(HeldRefusal());
        }

        return decided.TryGetValue(messageId, out var kind) && kind != HeldMessageEventKind.Approved
            ? Task.FromException<ChatMessage>(HeldRefusal())
            : null;
    }

    private static WgException HeldRefusal() =>
        new(ErrorCodes.Held, "Your message is held for review: a moderator will approve or deny it.", "automod");

    /// <summary>Takes the entry out of the queue at once (a second click in the same instant sees CONFLICT), or says why it cannot.</summary>
    private HeldChatMessage TakeHeld(Guid messageId, HeldMessageEventKind decision)
    {
        var found = held.Find(h => h.Message.Id == messageId);
        Check(ChatRules.HeldDecisionRefusal(found, decided.TryGetValue(messageId, out var kind) ? kind : null, clock.GetUtcNow()));
        // The rule refuses a message that is not in the queue: past it, there is one.
        var entry = found!;
        held.Remove(entry);
        Remember(messageId, decision);
        return entry;
    }

    private void PutBack(HeldChatMessage entry)
    {
        decided.Remove(entry.Message.Id);
        var index = held.FindIndex(h => h.Message.SentAt > entry.Message.SentAt);
        held.Insert(index < 0 ? held.Count : index, entry);
    }

    private void Remember(Guid messageId, HeldMessageEventKind kind)
    {
        if (decided.Count >= RememberedDecisions)
        {
            decided.Clear();
        }

        decided[messageId] = kind;
    }

    private void StartExpiryTimer()
    {
        // Checked a few times per lifetime: a message expires at most a tenth of its lifetime (and at most 15 s) late.
        var period = TimeSpan.FromSeconds(Math.Clamp(Options.HeldMessageLifetime.TotalSeconds / 10, 1, 15));
        expiryTimer ??= this.RegisterGrainTimer(ExpireHeldAsync, new GrainTimerCreationOptions(period, period) { Interleave = true });
    }

    private async Task ExpireHeldAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = held.Where(h => h.ExpiresAt <= now).ToList();
        foreach (var entry in expired)
        {
            held.Remove(entry);
            Remember(entry.Message.Id, HeldMessageEventKind.Expired);
        }

        if (held.Count == 0)
        {
            expiryTimer?.Dispose();
            expiryTimer = null;
        }

        if (expired.Count == 0)
        {
            return;
        }

        try
        {
            await heldStore.RemoveAsync(ChannelId, [.. expired.Select(h => h.Message.Id)]);
        }
        catch (Exception e)
        {
            // Out of the queue in memory either way; rows left behind are read back and expired on the next activation.
            LogExpiryFailed(e, ChannelId, expired.Count);
        }

        foreach (var entry in expired)
        {
            await PublishHeldAsync(new HeldMessageEvent(HeldMessageEventKind.Expired, ChannelId, entry.Message.Id));
        }
    }

    private async Task PublishHeldAsync(HeldMessageEvent heldEvent)
    {
        try
        {
            await heldStream.OnNextAsync(heldEvent);
        }
        catch (Exception e)
        {
            // The decision is durable; a moderator who missed the event sees the queue as it is on the next read.
            LogHeldPublishFailed(e, ChannelId, heldEvent.Kind);
        }
    }

    private static string Describe(HeldChatMessage entry) => $"{entry.Message.Username}: {entry.Message.Text} (AutoMod: {entry.Category.ToString().ToLowerInvariant()})";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat room {ChannelId} could not remove {Count} expired held messages")]
    private partial void LogExpiryFailed(Exception exception, Guid channelId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat room {ChannelId} could not publish a held-message event ({Kind})")]
    private partial void LogHeldPublishFailed(Exception exception, Guid channelId, HeldMessageEventKind kind);
}
