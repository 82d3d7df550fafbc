namespace WgStream.Gateways.LiveKit;

/// <summary>How channels map onto LiveKit: a room per channel, named by its id; the ingress publishes as one participant.</summary>
public static class LiveKitNames
{
    public static string RoomName(Guid channelId) => channelId.ToString("N");

    /// <summary>The identity the channel's ingress joins its room as: what players watch for.</summary>
    public static string BroadcasterIdentity(Guid channelId) => $"broadcaster-{RoomName(channelId)}";

    public static Guid? ChannelOf(string? roomName) => Guid.TryParseExact(roomName, "N", out var channelId) ? channelId : null;
}
