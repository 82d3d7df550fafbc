using Microsoft.Extensions.Logging;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Chat;

/// <summary>
/// Replies and mentions: a reply carries a quote of the visible message it answers; <c>@username</c>s
/// of accounts become mention fragments. Once a message is posted, the mentioned and the author of
/// the message replied to are notified (in-app by default), unless they blocked the sender.
/// </summary>
public sealed partial class ChatRoomGrain
{
    private readonly Dictionary<string, (Guid? UserId, DateTimeOffset Fetched)> mentionLookups = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The message a reply answers, visible in this room (since its last clear), as a quote; NOT_FOUND otherwise.</summary>
    private async Task<ChatReply> ReplyToAsync(Guid parentId)
    {
        var parent = recent.Find(parentId) ?? (recent.HoldsAll ? null : await store.FindAsync(ChannelId, parentId, State.ClearedSeq));
        if (parent is null)
        {
            throw new WgException(ErrorCodes.NotFound, "The message you reply to is gone.", "replyTo");
        }

        return new ChatReply(parent.Id, parent.SenderId, parent.Username, ChatRules.Excerpt(parent.Text));
    }

    /// <summary>The fragments with the mentioned accounts' names made mentions; names are looked up once per room for a while.</summary>
    private async Task<IReadOnlyList<ChatFragment>> MentionsAsync(IReadOnlyList<ChatFragment> fragments)
    {
        var names = ChatMentions.Find(fragments, Options.MaxMentionsPerMessage);
        if (names.Count == 0)
        {
            return fragments;
        }

        var now = clock.GetUtcNow();
        var accounts = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (!mentionLookups.TryGetValue(name, out var known) || now - known.Fetched > Options.MentionCacheTime)
            {
                if (mentionLookups.Count >= 10_000)
                {
                    // A room that has seen this many different names keeps no stale ones around.
                    mentionLookups.Clear();
                }

                // FindAsync takes a login: a name with '@' would be an e-mail, and mention names have none.
                known = (await GrainFactory.GetGrain<IAccountLookupGrain>(0).FindAsync(name), now);
                mentionLookups[name] = known;
            }

            if (known.UserId is { } id)
            {
                accounts[name] = id;
            }
        }

        return ChatMentions.Apply(fragments, accounts);
    }

    /// <summary>Tells the mentioned and the author replied to; a failure is logged, never the sender's problem.</summary>
    private async Task NotifyMentionsAsync(ChatMessage message)
    {
        foreach (var (userId, isReply) in ChatRules.MentionRecipients(message))
        {
            try
            {
                if (await GrainFactory.GetGrain<IUserBlocksGrain>(userId).HasBlockedAsync(message.SenderId))
                {
                    continue;
                }

                await GrainFactory.GetGrain<INotificationDispatchGrain>(0).PublishAsync(
                    new ChatMentionEvent(message.SentAt, ChannelId, message.Id, message.SenderId, userId, isReply, ChatRules.Excerpt(message.Text)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogMentionNoticeFailed(e, ChannelId, message.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the mention notices of message {MessageId} in room {ChannelId}")]
    private partial void LogMentionNoticeFailed(Exception exception, Guid channelId, Guid messageId);
}
