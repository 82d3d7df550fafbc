using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Streams;
using WgStream.ServiceDefaults;
using WgStream.Api.Streams.WebRtc;
using WgStream.Api.Videos.Recording;
using WgStream.Gateways.Media;
using WgStream.Gateways.Janus;
using WgStream.GrainInterfaces.Videos;

namespace WgStream.Api.Streams.Transcoding;

/// <summary>
/// The HLS workers of the broadcasts whose ingest calls this node: one per live channel, started
/// when nginx relays the renamed stream (the internal application's on_publish), kept alive by the
/// heartbeat (an Api restarted mid-broadcast starts it again on the next on_update), stopped at
/// on_publish_done, and all stopped when the node stops. A worker's directory is emptied before it
/// starts and removed when it ends, so a channel never serves the playlists of its last broadcast.
/// Where Janus is configured, each broadcast also gets a <see cref="WebRtcRelay"/>, which lives
/// exactly as long as its HLS worker, and (unless <c>Videos:Record</c> is off) a
/// <see cref="BroadcastRecorder"/> that keeps it as a past broadcast.
/// </summary>
public sealed partial class TranscodeSupervisor(
    IOptions<StreamOptions> options,
    IOptions<JanusOptions> janusOptions,
    JanusStreamingClient janus,
    IOptions<VideoOptions> videoOptions,
    IMediaStore media,
    IFrameGrabber frames,
    IClusterClient cluster,
    WgMetrics metrics,
    TimeProvider clock,
    ILoggerFactory loggers) : IHostedService
{
    private readonly Dictionary<Guid, Entry> workers = [];
    private readonly Lock gate = new();
    private readonly ILogger logger = loggers.CreateLogger<TranscodeSupervisor>();
    private bool stopped;
    private int warnedNoHlsPath;

    /// <summary>False without <c>Streams:HlsPath</c> (or on LiveKit): this node makes no HLS.</summary>
    public bool Enabled => !options.Value.UsesLiveKit && !string.IsNullOrWhiteSpace(options.Value.HlsPath);

    /// <summary>Starts the channel's worker unless it has one; returns at once.</summary>
    public void Start(Guid channelId)
    {
        if (!Enabled)
        {
            if (!options.Value.UsesLiveKit && Interlocked.Exchange(ref warnedNoHlsPath, 1) == 0)
            {
                LogNoHlsPath(logger);
            }

            return;
        }

        Task previous;
        lock (gate)
        {
            if (stopped || (workers.TryGetValue(channelId, out var running) && !running.Stopping))
            {
                return;
            }

            previous = running?.Done ?? Task.CompletedTask;
            var directory = Path.Combine(options.Value.HlsPath!, channelId.ToString("N"));
            var worker = new TranscodeWorker(channelId, directory, options.Value, cluster, metrics, clock, loggers.CreateLogger<TranscodeWorker>());
            var relay = janusOptions.Value.Enabled
                ? new WebRtcRelay(channelId, options.Value.FfmpegPath, options.Value.FfprobePath, options.Value.RelayUrl(channelId),
                    janusOptions.Value, janus, clock, loggers.CreateLogger<WebRtcRelay>())
                : null;
            var recorder = videoOptions.Value.Record
                ? new BroadcastRecorder(channelId, options.Value.RelayUrl(channelId), options.Value, videoOptions.Value, cluster, media, frames, clock, loggers.CreateLogger<BroadcastRecorder>())
                : null;
            var entry = new Entry(worker, relay, recorder);
            entry.Done = Task.Run(() => RunAsync(entry, previous));
            workers[channelId] = entry;
        }
    }

    /// <summary>Stops the channel's worker, if any, and waits until its files are gone.</summary>
    public async Task StopAsync(Guid channelId)
    {
        Entry? entry;
        lock (gate)
        {
            if (!workers.TryGetValue(channelId, out entry))
            {
                return;
            }

            entry.Stopping = true;
        }

        await entry.Worker.StopAsync();
        await entry.Done;
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        List<Entry> all;
        lock (gate)
        {
            stopped = true;
            all = [.. workers.Values];
        }

        await Task.WhenAll(all.Select(async e =>
        {
            e.Stopping = true;
            await e.Worker.StopAsync();
            await e.Done;
        }));
    }

    private async Task RunAsync(Entry entry, Task previous)
    {
        var worker = entry.Worker;
        try
        {
            // The last broadcast's worker (ending at the same moment) finishes removing its files first.
            await previous;
            Reset(worker.Directory, create: true);
            LogStarting(logger, worker.ChannelId, worker.Directory);
            using var companionsStop = new CancellationTokenSource();
            var relay = entry.Relay?.RunAsync(companionsStop.Token) ?? Task.CompletedTask;
            var recorder = entry.Recorder?.RunAsync(companionsStop.Token) ?? Task.CompletedTask;
            try
            {
                await worker.RunAsync();
            }
            finally
            {
                // The recorder uploads its last segment and completes the video before the stop returns.
                await companionsStop.CancelAsync();
                await Task.WhenAll(relay, recorder);
            }
        }
        catch (Exception e)
        {
            LogWorkerFailed(logger, e, worker.ChannelId);
        }
        finally
        {
            lock (gate)
            {
                if (workers.TryGetValue(worker.ChannelId, out var current) && current == entry)
                {
                    workers.Remove(worker.ChannelId);
                }
            }

            TryReset(worker.Directory);
        }
    }

    private void TryReset(string directory)
    {
        try
        {
            Reset(directory, create: false);
        }
        catch (IOException e)
        {
            LogCleanupFailed(logger, e, directory);
        }
        catch (UnauthorizedAccessException e)
        {
            LogCleanupFailed(logger, e, directory);
        }
    }

    private static void Reset(string directory, bool create)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        if (create)
        {
            Directory.CreateDirectory(directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "nginx-rtmp relayed a broadcast to this node, but Streams:HlsPath is not set, so it gets no HLS: point it at the directory nginx serves as /hls/ (docs/media.md)")]
    private static partial void LogNoHlsPath(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: HLS worker starting in {Directory}")]
    private static partial void LogStarting(ILogger logger, Guid channelId, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {ChannelId}: the HLS worker failed")]
    private static partial void LogWorkerFailed(ILogger logger, Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Directory}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string directory);

    private sealed class Entry(TranscodeWorker worker, WebRtcRelay? relay, BroadcastRecorder? recorder)
    {
        public TranscodeWorker Worker { get; } = worker;

        public WebRtcRelay? Relay { get; } = relay;

        public BroadcastRecorder? Recorder { get; } = recorder;

        public Task Done { get; set; } = Task.CompletedTask;

        public bool Stopping { get; set; }
    }
}
