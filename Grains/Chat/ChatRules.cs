using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Chat.AutoMod;

namespace WgStream.Grains.Chat;

/// <summary>
/// The pure decisions of a chat room: who may send under the room's modes, what a moderator may do
/// to whom, and what settings, timeouts, pins and pages may be. Each takes the room's state and the
/// input and answers with the refusal the room throws (its stable error code, field and retry time),
/// or null when the action is allowed. Nothing here does I/O or keeps state: <see cref="ChatRoomGrain"/>
/// gathers what a rule needs, asks it, and applies and publishes the outcome. The length and emptiness
/// of a message are <see cref="ChatText.Clean"/>'s; which names are mentions, <see cref="ChatMentions"/>'.
/// </summary>
public static class ChatRules
{
    /// <summary>How much of a message a reply quotes and a mention notice shows.</summary>
    public const int ExcerptLength = 100;

    /// <summary>The longest follow age followers-only may ask for (90 days).</summary>
    public const int MaxFollowersOnlyMinutes = 129_600;

    /// <summary>The most messages one history page holds.</summary>
    public const int MaxHistoryPage = 100;

    public static bool IsBroadcasterOrModerator(Guid userId, Guid channelId, IReadOnlySet<Guid> moderators) =>
        userId == channelId || moderators.Contains(userId);

    /// <summary>Whether a ban is still in effect: a ban has no end, a timeout runs out at its end.</summary>
    public static bool InEffect(ChatBan ban, DateTimeOffset now) => ban.Until is null || ban.Until > now;

    /// <summary>The user's ban or timeout still in effect, or null.</summary>
    public static ChatBan? ActiveBan(IReadOnlyDictionary<Guid, ChatBan> bans, Guid userId, DateTimeOffset now) =>
        bans.TryGetValue(userId, out var ban) && InEffect(ban, now) ? ban : null;

    /// <summary>The users whose timeouts have run out: they restrict nobody and need not stay in the room's state.</summary>
    public static List<Guid> RunOut(IReadOnlyDictionary<Guid, ChatBan> bans, DateTimeOffset now) =>
        bans.Values.Where(b => b.Until <= now).Select(b => b.UserId).ToList();

    /// <summary>Whether followers-only needs the sender's follow date (asked of the channel, so only when it counts).</summary>
    public static bool NeedsFollowDate(ChatSettings settings, bool exempt, bool vip) => !exempt && !vip && settings.FollowersOnly;

    /// <summary>
    /// Why this sender may not send this message now, or null: the checks in the order the sender is
    /// told about them. The broadcaster and moderators are held to bans, their own (higher) flood limit
    /// and the platform's terms; not to chat being off, the channel's terms or the modes.
    /// </summary>
    public static WgException? SendRefusal(
        ChatSettings settings,
        in ChatSender sender,
        PreparedText text,
        IReadOnlyList<ChatFragment> fragments,
        BlockedTerms platformTerms,
        BlockedTerms channelTerms,
        ChatOptions options,
        DateTimeOffset now)
    {
        if (sender.Ban is { } ban)
        {
            return BanRefusal(ban);
        }

        if (!settings.Enabled && !sender.Exempt)
        {
            return WgException.Forbidden("Chat is turned off in this channel.");
        }

        // The platform's terms hold for everyone; the channel's are the moderators' own rules.
        return Flood(sender.Recent, sender.Exempt, options)
            ?? BlockedTerm(text, sender.Exempt, platformTerms, channelTerms)
            ?? (sender.Exempt
                ? null
                : SlowMode(settings, sender.Vip, sender.LastSent, now)
                    ?? FollowersOnly(settings, sender.Vip, sender.FollowedSince, now)
                    ?? SponsorsOnly(settings, sender.Sponsor)
                    ?? EmoteOnly(settings, fragments));
    }

    public static WgException BanRefusal(ChatBan ban) =>
        ban.Until is { } until
            ? new WgException(ErrorCodes.Forbidden, $"You are timed out here until {until:u}." + Because(ban.Reason), "timeout", until)
            : WgException.Forbidden("You are banned from this chat." + Because(ban.Reason));

    /// <summary>The flood limit: a few messages per window for viewers, more for the broadcaster and moderators.</summary>
    public static WgException? Flood(SendWindow recent, bool exempt, ChatOptions options)
    {
        var limit = exempt ? options.ModeratorMessagesPerWindow : options.MessagesPerWindow;
        return recent.Count >= limit ? WgException.RateLimited("You are sending messages too fast.", recent.Oldest + options.RateWindow) : null;
    }

    /// <summary>The sender is told that the message was refused and why, never which term matched (that would teach the way around it).</summary>
    public static WgException? BlockedTerm(PreparedText text, bool exempt, BlockedTerms platformTerms, BlockedTerms channelTerms)
    {
        if (platformTerms.Matches(text))
        {
            return new WgException(ErrorCodes.Forbidden, "Your message was not sent: it contains a term this site does not allow.", "blockedTerm");
        }

        return !exempt && channelTerms.Matches(text)
            ? new WgException(ErrorCodes.Forbidden, "Your message was not sent: it contains a term this channel does not allow.", "blockedTerm")
            : null;
    }

    /// <summary>Slow mode: one message per interval from each viewer; VIPs are exempt.</summary>
    public static WgException? SlowMode(ChatSettings settings, bool vip, DateTimeOffset? lastSent, DateTimeOffset now)
    {
        if (settings.SlowModeSeconds <= 0 || vip || lastSent is not { } last)
        {
            return null;
        }

        var allowedAt = last + TimeSpan.FromSeconds(settings.SlowModeSeconds);
        return allowedAt > now
            ? new WgException(ErrorCodes.RateLimited, $"Slow mode is on: one message every {settings.SlowModeSeconds} s.", "slowMode", allowedAt)
            : null;
    }

    /// <summary>Followers-only: the sender follows, for at least the set minutes; VIPs are exempt.</summary>
    public static WgException? FollowersOnly(ChatSettings settings, bool vip, DateTimeOffset? followedSince, DateTimeOffset now)
    {
        if (!settings.FollowersOnly || vip)
        {
            return null;
        }

        if (followedSince is null)
        {
            return new WgException(ErrorCodes.Forbidden, "This chat is for followers only: follow the channel to chat.", "followersOnly");
        }

        var allowedAt = followedSince.Value + TimeSpan.FromMinutes(settings.FollowersOnlyMinutes);
        return allowedAt > now
            ? new WgException(ErrorCodes.Forbidden, $"This chat is for followers of at least {settings.FollowersOnlyMinutes} min.", "followersOnly", allowedAt)
            : null;
    }

    public static WgException? SponsorsOnly(ChatSettings settings, bool sponsor) =>
        settings.SponsorsOnly && !sponsor
            ? new WgException(ErrorCodes.Forbidden, "This chat is for sponsors only: sponsor the channel to chat.", "sponsorsOnly")
            : null;

    /// <summary>Emote-only: nothing but emoji, emotes and spaces (a channel emote the sender may not use is text).</summary>
    public static WgException? EmoteOnly(ChatSettings settings, IReadOnlyList<ChatFragment> fragments) =>
        settings.EmoteOnly && !ChatText.IsEmoteOnly(fragments)
            ? new WgException(ErrorCodes.Forbidden, "Emote-only mode is on: send only emoji and emotes.", "emoteOnly")
            : null;

    /// <summary>The badges a message shows: the sender's role (broadcaster, moderator or VIP), then verified and sponsor.</summary>
    public static List<string> Badges(Guid senderId, Guid channelId, bool moderator, bool vip, bool verified, bool sponsor)
    {
        var badges = new List<string>(2);
        if (senderId == channelId)
        {
            badges.Add("broadcaster");
        }
        else if (moderator)
        {
            badges.Add("moderator");
        }
        else if (vip)
        {
            badges.Add("vip");
        }

        if (verified)
        {
            badges.Add("verified");
        }

        if (sponsor)
        {
            badges.Add("sponsor");
        }

        return badges;
    }

    /// <summary>Why AutoMod would hold this message from a sender who is not a moderator, or null to post it.</summary>
    public static AutoModCategory? HoldReason(
        ChatSettings settings,
        AutoModLexicon lexicon,
        string text,
        PreparedText folded,
        bool vip,
        IReadOnlyCollection<string> channelDomains,
        IReadOnlyCollection<string> platformDomains)
    {
        if (settings.AutoModLevel != AutoModLevel.Off && lexicon.Check(folded, settings.AutoModLevel) is { } category)
        {
            return category;
        }

        // Links are found in the text as written: folding would turn "0" and "1" in a host into letters.
        return settings.HoldLinks && !vip && ChatLinks.FirstDisallowed(text, channelDomains, platformDomains) is not null
            ? AutoModCategory.Links
            : null;
    }

    /// <summary>The queue is full: a message AutoMod would hold is refused instead, so a raid of bad messages costs bounded memory and attention.</summary>
    public static WgException? HoldQueueFull(int waiting, int maxHeld) =>
        waiting >= maxHeld
            ? new WgException(ErrorCodes.Forbidden, "Your message was not sent: it needs a moderator's review and too many messages are waiting for one.", "automod")
            : null;

    /// <summary>Why a held message cannot be approved or denied: gone (decided before, or never held) or expired; null when it can.</summary>
    public static WgException? HeldDecisionRefusal(HeldChatMessage? entry, HeldMessageEventKind? decidedAs, DateTimeOffset now)
    {
        if (entry is null)
        {
            return decidedAs is { } kind
                ? WgException.Conflict($"That message was {kind.ToString().ToLowerInvariant()} already.")
                : WgException.NotFound("No such held message.");
        }

        return entry.ExpiresAt <= now ? WgException.Conflict("That message waited too long and expired.") : null;
    }

    /// <summary>A message id is the sender's: a retry with it by someone else is refused, not answered with another's message.</summary>
    public static WgException? MessageIdTaken(Guid ownerId, Guid senderId) =>
        ownerId == senderId ? null : WgException.BadInput("That message id is taken.", "messageId");

    /// <summary>The start of a message, as a reply quotes it and a mention notice shows it.</summary>
    public static string Excerpt(string text) => text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "…";

    /// <summary>
    /// Who is told about a posted message: the accounts it mentions, and the author of the message it
    /// replies to (once, as a reply, even when also mentioned); never the sender themselves.
    /// </summary>
    public static List<(Guid UserId, bool Reply)> MentionRecipients(ChatMessage message)
    {
        var recipients = ChatMentions.Mentioned(message.Fragments).Select(id => (UserId: id, Reply: false)).ToList();
        if (message.Reply is { } reply && reply.SenderId != message.SenderId)
        {
            recipients.RemoveAll(r => r.UserId == reply.SenderId);
            recipients.Add((reply.SenderId, true));
        }

        recipients.RemoveAll(r => r.UserId == message.SenderId);
        return recipients;
    }

    public static WgException? ModeratorsOnly(Guid actorId, Guid channelId, IReadOnlySet<Guid> moderators) =>
        IsBroadcasterOrModerator(actorId, channelId, moderators) ? null : WgException.Forbidden("Only the broadcaster and moderators can do that.");

    public static WgException? BroadcasterOnly(Guid actorId, Guid channelId) =>
        actorId == channelId ? null : WgException.Forbidden("Only the broadcaster can do that.");

    public static WgException? TimeoutLength(int seconds, int maxTimeoutSeconds) =>
        seconds < 1 || seconds > maxTimeoutSeconds ? WgException.BadInput($"A timeout lasts 1 to {maxTimeoutSeconds} seconds.", "seconds") : null;

    /// <summary>Whether the actor may ban or time out the user: moderators may, but not the broadcaster, and only the broadcaster a moderator.</summary>
    public static WgException? Restriction(Guid actorId, Guid userId, Guid channelId, IReadOnlySet<Guid> moderators)
    {
        if (ModeratorsOnly(actorId, channelId, moderators) is { } notModerator)
        {
            return notModerator;
        }

        if (userId == channelId)
        {
            return WgException.Forbidden("The broadcaster cannot be banned from their own chat.");
        }

        return moderators.Contains(userId) && actorId != channelId ? WgException.Forbidden("Only the broadcaster can ban or time out a moderator.") : null;
    }

    /// <summary>The broadcaster making a user a moderator: not themselves (they moderate already).</summary>
    public static WgException? NewModerator(Guid actorId, Guid userId, Guid channelId) =>
        BroadcasterOnly(actorId, channelId)
        ?? (userId == channelId ? WgException.BadInput("The broadcaster already moderates their own chat.", "userId") : null);

    /// <summary>The broadcaster making a user a VIP: not themselves or a moderator, who have more than a VIP.</summary>
    public static WgException? NewVip(Guid actorId, Guid userId, Guid channelId, IReadOnlySet<Guid> moderators) =>
        BroadcasterOnly(actorId, channelId)
        ?? (IsBroadcasterOrModerator(userId, channelId, moderators)
            ? WgException.BadInput("The broadcaster and moderators already have more than a VIP.", "userId")
            : null);

    /// <summary>The settings after <paramref name="update"/>: what it leaves out stays as it is.</summary>
    public static ChatSettings Apply(ChatSettings current, ChatSettingsUpdate update) => new(
        update.Enabled ?? current.Enabled,
        update.SlowModeSeconds ?? current.SlowModeSeconds,
        update.FollowersOnly ?? current.FollowersOnly,
        update.FollowersOnlyMinutes ?? current.FollowersOnlyMinutes,
        update.EmoteOnly ?? current.EmoteOnly,
        update.SponsorsOnly ?? current.SponsorsOnly,
        update.AutoModLevel ?? current.AutoModLevel,
        update.HoldLinks ?? current.HoldLinks);

    /// <summary>Why <paramref name="update"/> cannot be applied to <paramref name="current"/>, or null.</summary>
    public static WgException? SettingsRefusal(ChatSettings current, ChatSettingsUpdate update, ChatOptions options)
    {
        var slow = update.SlowModeSeconds ?? current.SlowModeSeconds;
        if (slow < 0 || slow > options.MaxSlowModeSeconds)
        {
            return WgException.BadInput($"Slow mode is 0 (off) to {options.MaxSlowModeSeconds} seconds.", "slowModeSeconds");
        }

        if (update.AutoModLevel is { } level && !Enum.IsDefined(level))
        {
            return WgException.BadInput("AutoMod's level is off, low, medium or high.", "autoModLevel");
        }

        var followMinutes = update.FollowersOnlyMinutes ?? current.FollowersOnlyMinutes;
        return followMinutes is < 0 or > MaxFollowersOnlyMinutes
            ? WgException.BadInput("Followers-only takes 0 to 129600 minutes (90 days) of following.", "followersOnlyMinutes")
            : null;
    }

    public static WgException? PinDuration(TimeSpan duration, ChatOptions options) =>
        duration < options.MinPinDuration || duration > options.MaxPinDuration
            ? WgException.BadInput($"A message stays pinned {options.MinPinDuration.TotalSeconds:0} s to {options.MaxPinDuration.TotalHours:0.#} h.", "seconds")
            : null;

    public static WgException? HistoryPage(int last) =>
        last is < 1 or > MaxHistoryPage ? WgException.BadInput("last must be between 1 and 100.", "last") : null;

    public static WgException? BlockedTermsFull(int count, int maxBlockedTerms) =>
        count >= maxBlockedTerms ? WgException.BadInput($"A channel can block at most {maxBlockedTerms} terms; remove some first.", "term") : null;

    public static WgException? TooManyLinkDomains(int count, int maxDomains) =>
        count > maxDomains ? WgException.BadInput($"A channel can allow links to at most {maxDomains} domains.", "domains") : null;

    private static string Because(string? reason) => reason is null ? string.Empty : $" Reason: {reason}";
}
