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

    /// <summary>Per channel (keyed by channel id): <c>ChannelEvent</c>s such as <c>ChannelVerified</c>.</summary>
    public const string ChannelEvents = "channel-events";

    public static readonly Guid SessionRevocationsKey = new("5e5510a0-0000-4000-8000-000000000001");
}
