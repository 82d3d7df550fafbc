using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.Gateways.Janus;

namespace WgStream.Api.Streams.WebRtc;

/// <summary>
/// Hands out WebRTC playback for a live channel: only while its mountpoint exists and has fewer
/// than <see cref="JanusOptions.MaxViewersPerChannel"/> viewers (HLS serves the rest; the client
/// falls back to it on any refusal). Anyone may watch a live channel, signed in or not.
/// </summary>
public sealed class WebRtcAccess(IOptions<JanusOptions> options, JanusStreamingClient janus, IClusterClient cluster, TimeProvider clock)
{
    /// <summary>
    /// A mountpoint's viewer count is read from Janus at most once a second per channel, however
    /// many (anonymous) viewers ask: a burst of requests costs Janus one call.
    /// </summary>
    private static readonly TimeSpan InfoFreshFor = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, (long At, Task<JanusMountpointInfo?> Info)> infos = new();

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
            info = await InfoAsync(channelId, mountpoint, settings.TokenSecret!);
        }
        catch (Exception e) when (e is HttpRequestException or JanusException or TaskCanceledException)
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

        cancellation.ThrowIfCancellationRequested();
        var expiresAt = clock.GetUtcNow() + settings.ViewerTokenLifetime;
        return new WebRtcPlayback(
            (settings.PublicUrl ?? settings.Url)!,
            JanusTokens.Sign(settings.TokenSecret!, expiresAt),
            mountpoint,
            WebRtcRelay.MountpointPin(settings.TokenSecret!, channelId),
            expiresAt);
    }

    private Task<JanusMountpointInfo?> InfoAsync(Guid channelId, string mountpoint, string tokenSecret)
    {
        var now = clock.GetTimestamp();
        if (infos.TryGetValue(channelId, out var cached) && clock.GetElapsedTime(cached.At, now) < InfoFreshFor && !cached.Info.IsFaulted)
        {
            return cached.Info;
        }

        // Not the caller's cancellation: the answer is shared with whoever asks within the second.
        var info = janus.InfoAsync(mountpoint, WebRtcRelay.MountpointSecret(tokenSecret, channelId), CancellationToken.None);
        infos[channelId] = (now, info);
        if (infos.Count > 10_000)
        {
            // Channels that went offline: forget what is stale.
            foreach (var (id, entry) in infos)
            {
                if (clock.GetElapsedTime(entry.At, now) >= InfoFreshFor)
                {
                    infos.TryRemove(id, out _);
                }
            }
        }

        return info;
    }
}
