using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>The room's durable settings; messages live in <c>chat_messages</c>.</summary>
[GenerateSerializer]
public sealed class ChatRoomState
{
    [Id(0)] public ChatSettings Settings { get; set; } = ChatSettings.Default;

    [Id(1)] public HashSet<Guid> Moderators { get; set; } = [];

    /// <summary>Bans (no end) and timeouts (with an end), by user.</summary>
    [Id(2)] public Dictionary<Guid, ChatBan> Bans { get; set; } = [];
}
