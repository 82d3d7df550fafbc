using WgStream.GrainInterfaces.Streams;
using WgStream.Gateways.LiveKit;

namespace WgStream.Api.Streams.LiveKit;

/// <summary>
/// The one way a LiveKit broadcast starts or finishes (rooms are named by <see cref="LiveKitNames"/>): the signed webhooks and
/// <see cref="LiveKitLivenessPoller"/> (for when a webhook never came) both go through here.
/// </summary>
public sealed class LiveKitRooms(IClusterClient cluster)
{
    /// <summary>The ingress <paramref name="ingressId"/> publishes into the channel's room.</summary>
    public Task<PublishResult> StartedAsync(Guid channelId, string ingressId) =>
        cluster.GetGrain<IBroadcasterGrain>(channelId).PublishAsync(Connection(ingressId), keyHash: null);

    /// <summary>The ingress stopped; ignored unless it is the one the channel is live on.</summary>
    public Task FinishedAsync(Guid channelId, string ingressId) =>
        cluster.GetGrain<IBroadcasterGrain>(channelId).PublishDoneAsync(Connection(ingressId));

    private static IngestConnection Connection(string ingressId) => new(IngestKind.LiveKit, ingressId);
}
