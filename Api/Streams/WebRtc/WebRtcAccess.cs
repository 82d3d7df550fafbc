using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Api.Streams.WebRtc;

/// <summary>
/// Hands out WebRTC playback for a live channel: only while its mountpoint exists and has fewer
/// than <see cref="JanusOptions.MaxViewersPerChannel"/> viewers (HLS serves the rest; the client
/// falls back to it on any refusal). Anyone may watch a live channel, signed in or not.
/// </summary>
public sealed class WebRtcAccess(IOptions<JanusOptions> options, JanusStreamingClient janus, IClusterClient cluster, TimeProvider clock)
{
    public async Task<WebRtcPlayback> IssueAsync(Guid channelId, CancellationToken cancellation)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            throw new WgException(ErrorCodes.Unavailable, "Low-latency playback is not set up on this server; play HLS.");
        }

        if (await cluster.GetGrain<IBroadcasterGrain>(channelId).GetLiveAsync() is not { Ingest: IngestKind.Rtmp })
        {
            throw WgException.NotFound("The channel is not live.");
        }

        var mountpoint = WebRtcRelay.MountpointIdFor(channelId);
        JanusMountpointInfo? info;
        try
        {
            info = await janus.InfoAsync(mountpoint, WebRtcRelay.MountpointSecret(settings.TokenSecret!, channelId), cancellation);
        }
        catch (Exception e) when (e is HttpRequestException or JanusException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new WgException(ErrorCodes.Unavailable, "Low-latency playback is unavailable right now; play HLS.");
        }

        if (info is null)
        {
            throw new WgException(ErrorCodes.Unavailable, "Low-latency playback is still starting for this broadcast; play HLS for now.");
        }

        if (info.Viewers >= settings.MaxViewersPerChannel)
        {
            throw new WgException(ErrorCodes.Busy, "Low-latency playback is full for this channel; play HLS.");
        }

        var expiresAt = clock.GetUtcNow() + settings.ViewerTokenLifetime;
        return new WebRtcPlayback(
            (settings.PublicUrl ?? settings.Url)!,
            JanusTokens.Sign(settings.TokenSecret!, expiresAt),
            mountpoint,
            WebRtcRelay.MountpointPin(settings.TokenSecret!, channelId),
            expiresAt);
    }
}
