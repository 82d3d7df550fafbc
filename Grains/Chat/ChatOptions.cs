namespace WgStream.Grains.Chat;

/// <summary>Bound from the <c>Chat</c> section.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>Messages kept in the room's memory and returned on join.</summary>
    public int HistorySize { get; set; } = 100;

    /// <summary>Longest chat message, in characters after cleaning.</summary>
    public int MaxMessageLength { get; set; } = 500;

    /// <summary>Flood limit for viewers: this many messages per <see cref="RateWindow"/>.</summary>
    public int MessagesPerWindow { get; set; } = 20;

    /// <summary>The flood limit for the broadcaster and moderators, who are exempt from chat modes but not from typos in loops.</summary>
    public int ModeratorMessagesPerWindow { get; set; } = 100;

    /// <summary>The flood limit's window: a viewer sends at most <see cref="MessagesPerWindow"/> messages in it.</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest slow-mode interval a channel may set.</summary>
    public int MaxSlowModeSeconds { get; set; } = 3600;

    /// <summary>The longest timeout a moderator may give (14 days).</summary>
    public int MaxTimeoutSeconds { get; set; } = 14 * 24 * 3600;

    /// <summary>How long a sender's name and colour are reused before asking their user grain again.</summary>
    public TimeSpan IdentityCacheTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a sender's "verified" and "sponsor" badges are reused before asking again.</summary>
    public TimeSpan BadgeCacheTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long "does not follow" is believed; short, so a new follower can chat at once.</summary>
    public TimeSpan NotFollowingCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long "follows since …" is believed before asking the channel again (so an unfollow counts within this).</summary>
    public TimeSpan FollowingCacheTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many blocked terms one channel may have.</summary>
    public int MaxBlockedTerms { get; set; } = 500;

    /// <summary>Terms no channel allows, set by the operators (same syntax as a channel's: words, phrases, <c>*</c>).</summary>
    public string[] BlockedTerms { get; set; } = [];

    /// <summary>Reports one user may file in an hour, so that reporting cannot flood the moderators.</summary>
    public int ReportsPerHour { get; set; } = 30;

    /// <summary>How long a message AutoMod held waits for a moderator before it is dropped, as if denied.</summary>
    public TimeSpan HeldMessageLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many held messages one room keeps waiting; past this a message AutoMod would hold is
    /// refused instead, so a raid of bad messages costs bounded memory and moderators' attention.
    /// </summary>
    public int MaxHeldMessages { get; set; } = 200;

    /// <summary>How many domains one channel may allow links to while links are held.</summary>
    public int MaxAllowedLinkDomains { get; set; } = 100;

    /// <summary>Domains every channel allows links to (the site's own, say), set by the operators.</summary>
    public string[] AllowedLinkDomains { get; set; } = [];

    /// <summary>How many different <c>@username</c>s of one message become mentions (and notify); the rest stay text.</summary>
    public int MaxMentionsPerMessage { get; set; } = 5;

    /// <summary>How long the username → account lookups of mentions are kept per room.</summary>
    public TimeSpan MentionCacheTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The shortest and longest a message may stay pinned.</summary>
    public TimeSpan MinPinDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a message may stay pinned.</summary>
    public TimeSpan MaxPinDuration { get; set; } = TimeSpan.FromHours(12);
}
