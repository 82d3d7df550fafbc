using System.Text.Json;
using System.Text.Json.Serialization;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Notifications;

/// <summary>How events (<c>notification_jobs.payload</c>) and content (<c>.content</c>) are stored as jsonb.</summary>
public static class NotificationJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static NotificationKind KindOf(NotificationEvent e) => e switch
    {
        StreamStartedEvent => NotificationKind.StreamStarted,
        NewFollowerEvent => NotificationKind.NewFollower,
        NewSponsorEvent => NotificationKind.NewSponsor,
        ChannelVerifiedEvent => NotificationKind.ChannelVerified,
        SecurityNoticeEvent => NotificationKind.Security,
        ChatMentionEvent => NotificationKind.Mention,
        _ => throw new ArgumentException($"Unknown notification event {e.GetType().Name}.", nameof(e)),
    };

    public static string Serialize(NotificationEvent e) => JsonSerializer.Serialize(e, e.GetType(), Options);

    public static NotificationEvent Deserialize(NotificationKind kind, string json) => kind switch
    {
        NotificationKind.StreamStarted => Read<StreamStartedEvent>(json),
        NotificationKind.NewFollower => Read<NewFollowerEvent>(json),
        NotificationKind.NewSponsor => Read<NewSponsorEvent>(json),
        NotificationKind.ChannelVerified => Read<ChannelVerifiedEvent>(json),
        NotificationKind.Security => Read<SecurityNoticeEvent>(json),
        NotificationKind.Mention => Read<ChatMentionEvent>(json),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string SerializeContent(NotificationContent content) => JsonSerializer.Serialize(content, Options);

    public static NotificationContent DeserializeContent(string? json) =>
        json is null ? new NotificationContent() : JsonSerializer.Deserialize<NotificationContent>(json, Options) ?? new NotificationContent();

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("Empty notification payload.");
}
