using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.GrainInterfaces.Chat;

/// <summary>
/// The chat of one channel (keyed by channel id): settings, moderators, bans and timeouts, and the
/// recent messages, in memory. Every accepted message is stored in PostgreSQL before it is
/// acknowledged and then published, in sequence order, on the room's Orleans stream.
/// </summary>
public interface IChatRoomGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Checks every rule for <paramref name="senderId"/>, stores the message and publishes it. With a
    /// <paramref name="messageId"/> chosen by the caller the call is idempotent: sending the same id
    /// again (a retry after a lost answer, say) returns the message already accepted instead of adding
    /// it twice. <see cref="Guid.Empty"/> lets the room choose. A cancelled call that the room has not
    /// started on yet is not sent at all. With <paramref name="replyTo"/> the message answers that
    /// visible message of the room (NOT_FOUND otherwise) and carries a quote of it. <c>@username</c>s
    /// of accounts become mention fragments; the mentioned, and the author of the message replied to,
    /// are notified (per their settings) once the message is posted.
    /// </summary>
    Task<ChatMessage> SendAsync(Guid senderId, string text, Guid messageId = default, Guid? replyTo = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// A moderator pins a visible message to the top of the room for <paramref name="duration"/>
    /// (<c>Chat:MinPinDuration</c> to <c>Chat:MaxPinDuration</c>), replacing any pinned one.
    /// </summary>
    Task<ChatPin> PinMessageAsync(Guid actorId, Guid messageId, TimeSpan duration);

    /// <summary>Takes the pinned message down; NOT_FOUND when none is pinned.</summary>
    Task UnpinMessageAsync(Guid actorId);

    /// <summary>A moderator clears everyone's view of the chat: history starts after this (messages stay stored for replays and reports).</summary>
    Task ClearChatAsync(Guid actorId);

    /// <summary>Tells the room's viewers that <paramref name="raid"/>'s channel is raiding (called by the raiding broadcaster).</summary>
    Task AnnounceRaidAsync(Raid raid);

    /// <summary>Up to <paramref name="last"/> messages before sequence <paramref name="beforeSeq"/> (or the newest), oldest first.</summary>
    [ReadOnly]
    Task<ChatHistory> GetHistoryAsync(int last, long? beforeSeq);

    [ReadOnly]
    Task<ChatRoomInfo> GetInfoAsync();

    Task DeleteMessageAsync(Guid actorId, Guid messageId);

    Task TimeoutAsync(Guid actorId, Guid userId, int seconds, string? reason);

    Task BanAsync(Guid actorId, Guid userId, string? reason);

    Task UnbanAsync(Guid actorId, Guid userId);

    Task AddModeratorAsync(Guid actorId, Guid userId);

    Task RemoveModeratorAsync(Guid actorId, Guid userId);

    Task<ChatSettings> UpdateSettingsAsync(Guid actorId, ChatSettingsUpdate update);

    /// <summary>The broadcaster makes a user a VIP: exempt from slow mode and followers-only, with a badge.</summary>
    Task AddVipAsync(Guid actorId, Guid userId);

    Task RemoveVipAsync(Guid actorId, Guid userId);

    /// <summary>The channel's blocked terms, for the broadcaster and moderators (anyone else: FORBIDDEN).</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> GetBlockedTermsAsync(Guid actorId);

    /// <summary>Adds a word or phrase (<c>*</c> for any letters) that messages here may not contain; returns the list.</summary>
    Task<IReadOnlyList<string>> AddBlockedTermAsync(Guid actorId, string term);

    Task<IReadOnlyList<string>> RemoveBlockedTermAsync(Guid actorId, string term);

    /// <summary>
    /// Messages AutoMod holds for review, oldest first, <paramref name="first"/> (1–50) after the
    /// cursor <paramref name="after"/>; for the broadcaster and moderators (FORBIDDEN otherwise).
    /// </summary>
    [ReadOnly]
    Task<Page<HeldChatMessage>> GetHeldMessagesAsync(Guid actorId, int first, string? after);

    /// <summary>Posts a held message with the time it was sent; CONFLICT when it was decided or expired already, NOT_FOUND when there never was one.</summary>
    Task<ChatMessage> ApproveHeldMessageAsync(Guid actorId, Guid messageId);

    /// <summary>Drops a held message for good; the same answers as approving.</summary>
    Task DenyHeldMessageAsync(Guid actorId, Guid messageId);

    /// <summary>Domains (with their subdomains) links may point to without being held while links are held; for moderators.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> GetAllowedLinkDomainsAsync(Guid actorId);

    /// <summary>Replaces the channel's allowed link domains (up to <c>Chat:MaxAllowedLinkDomains</c>); returns them normalised.</summary>
    Task<IReadOnlyList<string>> SetAllowedLinkDomainsAsync(Guid actorId, IReadOnlyList<string> domains);

    /// <summary>What a user may do here: whether they moderate, and whether (and until when) they are banned.</summary>
    [ReadOnly]
    Task<ChatStanding> GetStandingAsync(Guid userId);

    /// <summary>The channel was hidden or deleted: look it up again before the next message (and refuse while it is gone).</summary>
    Task RecheckChannelAsync();

    /// <summary>The sender's account was deleted: messages kept in memory show <paramref name="username"/> and <paramref name="color"/> from now on (the table is updated by the caller).</summary>
    Task ForgetSenderAsync(Guid senderId, string username, string color);

    /// <summary>
    /// The messages stored and their distinct senders since the previous call, for the live
    /// broadcast's analytics sampler (counted in memory, nothing written per message); starts the
    /// next count. Senders are tracked for <paramref name="trackFor"/> from this call only, so a room
    /// nobody samples keeps no set.
    /// </summary>
    Task<ChatActivity> TakeActivityAsync(TimeSpan trackFor);
}
