using WgStream.GrainInterfaces.Streams;

namespace WgStream.Api.Streams.LiveKit;

/// <summary>
/// How channels map onto LiveKit (a room per channel, named by its id; the ingress publishes as one
/// participant), and the one way a LiveKit broadcast starts or finishes: the signed webhooks and
/// <see cref="LiveKitLivenessPoller"/> (for when a webhook never came) both go through here.
/// </summary>
public sealed class LiveKitRooms(IClusterClient cluster)
{
    public static string RoomName(Guid channelId) => channelId.ToString("N");

    /// <summary>The identity the channel's ingress joins its room as: what players watch for.</summary>
    public static string BroadcasterIdentity(Guid channelId) => $"broadcaster-{RoomName(channelId)}";

    public static Guid? ChannelOf(string? roomName) => Guid.TryParseExact(roomName, "N", out var channelId) ? channelId : null;

    /// <summary>The ingress <paramref name="ingressId"/> publishes into the channel's room.</summary>
    public Task<PublishResult> StartedAsync(Guid channelId, string ingressId) =>
        cluster.GetGrain<IBroadcasterGrain>(channelId).PublishAsync(Connection(ingressId), keyHash: null);

    /// <summary>The ingress stopped; ignored unless it is the one the channel is live on.</summary>
    public Task FinishedAsync(Guid channelId, string ingressId) =>
        cluster.GetGrain<IBroadcasterGrain>(channelId).PublishDoneAsync(Connection(ingressId));

    private static IngestConnection Connection(string ingressId) => new(IngestKind.LiveKit, ingressId);
}
