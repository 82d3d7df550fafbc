using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>The room's durable settings; messages live in <c>chat_messages</c>.</summary>
[GenerateSerializer]
public sealed class ChatRoomState
{
    /// <summary>
    /// Null until first changed, meaning <see cref="ChatSettings.Default"/>. Never initialised to an
    /// instance: the JSON storage serializer fills an existing object in place and leaves default
    /// values out, so it would write one room's settings into the shared default (every room's) and
    /// read <c>Enabled = false</c> back as true.
    /// </summary>
    [Id(0)] public ChatSettings? Settings { get; set; }

    [Id(1)] public HashSet<Guid> Moderators { get; set; } = [];

    /// <summary>Bans (no end) and timeouts (with an end), by user.</summary>
    [Id(2)] public Dictionary<Guid, ChatBan> Bans { get; set; } = [];

    /// <summary>The channel's blocked terms as entered (normalised: trimmed, lower case).</summary>
    [Id(3)] public List<string> BlockedTerms { get; set; } = [];

    /// <summary>Users the broadcaster made VIPs.</summary>
    [Id(4)] public HashSet<Guid> Vips { get; set; } = [];

    /// <summary>Domains (normalised: lower case, no "www.") whose links are not held while links are.</summary>
    [Id(5)] public List<string> AllowedLinkDomains { get; set; } = [];

    /// <summary>
    /// Moderator actions saved with this state whose log entries may not be written yet: an action
    /// and its record become durable in one state write, and whatever is left here when the room
    /// activates is written then (writing an entry twice stores it once).
    /// </summary>
    [Id(6)] public List<ModerationLogEntry> UnloggedActions { get; set; } = [];

    /// <summary>The message pinned to the top of the room, until its time runs out.</summary>
    [Id(7)] public ChatPin? Pinned { get; set; }

    /// <summary>The sequence number of the last clear: history shows only what came after it.</summary>
    [Id(8)] public long ClearedSeq { get; set; }
}
