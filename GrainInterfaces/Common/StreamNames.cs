namespace WgStream.GrainInterfaces.Common;

/// <summary>Orleans stream provider and namespaces shared by grains and front ends.</summary>
public static class StreamNames
{
    public const string Provider = "wg";

    /// <summary>Per user (keyed by user id): <c>SecurityEvent</c>s.</summary>
    public const string AccountEvents = "account-events";

    /// <summary>One well-known stream: <c>SessionRevoked</c>; each Api node subscribes once.</summary>
    public const string SessionRevocations = "session-revocations";

    /// <summary>Per channel (keyed by channel id): <c>ChatEventBatch</c>es of its chat room.</summary>
    public const string Chat = "chat";

    /// <summary>Per channel (keyed by channel id): <c>HeldMessageEvent</c>s of its AutoMod queue, for the moderators only.</summary>
    public const string ChatHeld = "chat-held";

    public static readonly Guid SessionRevocationsKey = new("5e5510a0-0000-4000-8000-000000000001");

    /// <summary>
    /// One well-known stream (<see cref="UserBlocksKey"/>): <c>UserBlocksChanged</c>. Each Api node
    /// subscribes once and keeps the block lists of the users it has chat connections for up to date;
    /// blocks change by hand, a few times a day, so one cluster-wide stream costs less than one per user.
    /// </summary>
    public const string UserBlocks = "user-blocks";

    public static readonly Guid UserBlocksKey = new("5e5510a0-0000-4000-8000-000000000002");

    /// <summary>
    /// One well-known stream: <c>SiteBanChanged</c>; each silo subscribes once and keeps the set of
    /// banned accounts in memory, so chat rooms refuse their messages without asking anyone.
    /// </summary>
    public const string SiteBans = "site-bans";

    public static readonly Guid SiteBansKey = new("5e5510a0-0000-4000-8000-000000000003");

    /// <summary>
    /// One well-known stream (<see cref="EmotesKey"/>): <c>EmotesChanged</c>; each silo subscribes
    /// once and drops what its emote cache holds for the prefixes named, so an uploaded, renamed or
    /// deleted emote is seen by every chat room at once rather than after the cache time.
    /// </summary>
    public const string Emotes = "emotes";

    public static readonly Guid EmotesKey = new("5e5510a0-0000-4000-8000-000000000004");

    /// <summary>
    /// Per channel (keyed by channel id): <c>StreamStatusChanged</c> (live, updated, offline, viewer
    /// counts), the one status event. Going live also records a notification job for followers;
    /// nothing else listens for a go-live.
    /// </summary>
    public const string StreamStatus = "stream-status";
}
