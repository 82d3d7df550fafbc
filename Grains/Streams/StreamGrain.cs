using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.Gateways.Media;
using WgStream.Grains.Analytics;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

/// <summary>
/// One broadcast. Its row in <c>streams</c> is its storage (loaded on activation, written on each
/// change), so history and grain never disagree. While an RTMP broadcast is live a timer grabs a
/// thumbnail frame from the HLS output; the timer interleaves, so a slow ffmpeg never holds up the
/// broadcaster's calls. While live it also samples the broadcast for analytics (its
/// <see cref="BroadcastSampler"/>, fed with every viewer count).
/// </summary>
public sealed partial class StreamGrain(
    StreamStore store,
    IFrameGrabber grabber,
    IThumbnailSink thumbnails,
    IOptions<StreamOptions> options,
    BroadcastSampling sampling,
    ILogger<StreamGrain> logger) : Grain, IStreamGrain
{
    private StreamInfo? info;
    private int viewers;
    private int storedPeak;
    private IGrainTimer? thumbnailTimer;
    private BroadcastSampler? sampler;

    private Guid StreamId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        info = await store.LoadStreamAsync(StreamId);
        storedPeak = info?.PeakViewers ?? 0;
        if (info is { IsLive: true })
        {
            StartThumbnails();
            sampler = sampling.Resume(this, info);
        }
    }

    public async Task StartAsync(StreamStart start)
    {
        if (info is not null)
        {
            return;
        }

        await store.InsertStreamAsync(StreamId, start);
        info = new StreamInfo(StreamId, start.ChannelId, start.Title, start.CategorySlug, start.StartedAt, null, null, 0, 0, start.Ingest, null);
        StartThumbnails();
        sampler = await sampling.StartAsync(this, info);
    }

    public async Task UpdateAsync(string title, string? categorySlug)
    {
        var current = Require();
        if (!current.IsLive)
        {
            return;
        }

        await store.UpdateStreamAsync(StreamId, title, categorySlug);
        info = current with { Title = title, CategorySlug = categorySlug };
    }

    public async Task SetViewerCountAsync(int viewers, bool persist)
    {
        var current = Require();
        this.viewers = viewers;
        if (current.IsLive)
        {
            sampler?.Viewers(viewers);
        }

        if (viewers > current.PeakViewers)
        {
            info = current with { PeakViewers = viewers };
        }

        if (persist && info!.PeakViewers > storedPeak)
        {
            storedPeak = info!.PeakViewers;
            await store.SetPeakViewersAsync(StreamId, storedPeak);
        }
    }

    public async Task<StreamInfo> EndAsync(StreamEndReason reason, DateTimeOffset endedAt)
    {
        var current = Require();
        if (!current.IsLive)
        {
            return current;
        }

        thumbnailTimer?.Dispose();
        thumbnailTimer = null;
        await store.EndStreamAsync(StreamId, endedAt, reason, current.PeakViewers);
        viewers = 0;
        info = current with { EndedAt = endedAt, EndReason = reason, ViewerCount = 0 };
        if (sampler is { } ending)
        {
            sampler = null;
            await ending.EndAsync(endedAt);
        }

        return info;
    }

    public Task<StreamInfo?> GetAsync()
    {
        if (info is null)
        {
            // Anyone may ask for any id: a made-up one must not stay activated until idle collection.
            DeactivateOnIdle();
            return Task.FromResult<StreamInfo?>(null);
        }

        return Task.FromResult<StreamInfo?>(info with { ViewerCount = info.IsLive ? viewers : 0 });
    }

    private StreamInfo Require() => info ?? throw WgException.NotFound("No such stream.");

    private void StartThumbnails()
    {
        // LiveKit broadcasts have no HLS output of ours to take frames from.
        if (info is not { Ingest: IngestKind.Rtmp } || thumbnailTimer is not null)
        {
            return;
        }

        thumbnailTimer = this.RegisterGrainTimer(CaptureThumbnailAsync, new GrainTimerCreationOptions
        {
            DueTime = options.Value.ThumbnailFirstDelay,
            Period = options.Value.ThumbnailInterval,
            Interleave = true,
            KeepAlive = true,
        });
    }

    private async Task CaptureThumbnailAsync(CancellationToken cancellationToken)
    {
        if (info is not { IsLive: true } live)
        {
            return;
        }

        try
        {
            var frame = await grabber.GrabAsync(options.Value.InternalPlaybackUrl(live.ChannelId), cancellationToken);
            if (frame is null)
            {
                if (info?.ThumbnailUrl is null)
                {
                    // Nothing to show yet (HLS still warming up): try again soon rather than in a minute.
                    thumbnailTimer?.Change(options.Value.ThumbnailRetryDelay, options.Value.ThumbnailInterval);
                }

                return;
            }

            var url = await thumbnails.StoreAsync(live.ChannelId, StreamId, frame, cancellationToken);
            if (info is { IsLive: true })
            {
                await store.SetThumbnailAsync(StreamId, url);
                info = info with { ThumbnailUrl = url };
                // The channel shows it (on its page and in the directory) over the owner's own thumbnail while live.
                await GrainFactory.GetGrain<IChannelGrain>(live.ChannelId).SetLiveThumbnailAsync(StreamId, url);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogThumbnailFailed(e, StreamId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store a thumbnail for stream {StreamId}")]
    private partial void LogThumbnailFailed(Exception exception, Guid streamId);
}
