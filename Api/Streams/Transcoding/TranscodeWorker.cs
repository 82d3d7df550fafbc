using System.Diagnostics;
using WgStream.GrainInterfaces.Streams;
using WgStream.ServiceDefaults;

namespace WgStream.Api.Streams.Transcoding;

/// <summary>
/// One live broadcast's HLS: probes the relayed stream, runs ffmpeg with the ladder that fits it,
/// watches its encoding speed, restarts it when it exits while the broadcast goes on (backing off),
/// and falls back to passthrough for the rest of the broadcast when the ladder cannot be encoded in
/// real time. Every change is reported to the channel's broadcaster grain, which the dashboard reads.
/// </summary>
public sealed partial class TranscodeWorker
{
    /// <summary>The first seconds of a broadcast (the first keyframe, filling the encoder) say nothing about its speed.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    /// <summary>A run this long was healthy: the next exit starts the back-off again.</summary>
    private static readonly TimeSpan HealthyRun = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(3);

    private readonly Guid channelId;
    private readonly StreamOptions options;
    private readonly IClusterClient cluster;
    private readonly WgMetrics metrics;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Queue<string> stderrTail = new();
    private Task run = Task.CompletedTask;

    public TranscodeWorker(Guid channelId, string directory, StreamOptions options, IClusterClient cluster, WgMetrics metrics, TimeProvider clock, ILogger logger)
    {
        this.channelId = channelId;
        Directory = directory;
        this.options = options;
        this.cluster = cluster;
        this.metrics = metrics;
        this.clock = clock;
        this.logger = logger;
    }

    public Guid ChannelId => channelId;

    /// <summary>Where this broadcast's playlists and segments are written.</summary>
    public string Directory { get; }

    /// <summary>Runs until <see cref="StopAsync"/>, or until ffmpeg ends and the channel is no longer live.</summary>
    public Task RunAsync() => run = Task.Run(RunLoopAsync);

    /// <summary>Stops ffmpeg (gracefully, then by force) and waits for the worker to end.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync();
        await run;
    }

    private async Task RunLoopAsync()
    {
        var passthroughOnly = false;
        string? reason = null;
        var failures = 0;
        SourceInfo? source = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                source ??= await ProbeAsync();
                var rungs = HlsLadder.Plan(options.Ladder, source, passthroughOnly);
                var started = clock.GetTimestamp();
                var (tooSlow, exitCode) = await RunFfmpegAsync(rungs, source, passthroughOnly, reason);
                if (stopping.IsCancellationRequested)
                {
                    break;
                }

                if (tooSlow is { } speed)
                {
                    passthroughOnly = true;
                    reason = $"Encoding the quality ladder ran at {speed:0.00}× real time on this machine, so viewers get the source only for the rest of this broadcast.";
                    metrics.TranscodeFallbacks.Add(1);
                    LogFellBack(channelId, speed, options.TranscodeSlowFor);
                    continue;
                }

                if (!await StillLiveAsync())
                {
                    // The encoder stopped: nginx ended the relay (idle_streams off) a moment before its on_publish_done.
                    LogEnded(channelId);
                    break;
                }

                failures = clock.GetElapsedTime(started) >= HealthyRun ? 1 : failures + 1;
                metrics.TranscodeRestarts.Add(1);
                LogExited(channelId, exitCode, StderrTail());
                // The encoder may have come back with other settings: look again.
                source = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures++;
                LogFailed(e, channelId);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(RestartBackoff.After(failures), clock, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<bool> StillLiveAsync()
    {
        try
        {
            return await cluster.GetGrain<IBroadcasterGrain>(channelId).GetLiveAsync() is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Cannot tell (the cluster is failing over): keep the broadcast's video going.
            LogReportFailed(e, channelId);
            return true;
        }
    }

    private async Task<SourceInfo?> ProbeAsync()
    {
        var source = await SourceProbe.ProbeRelayAsync(options.FfprobePath, SourceUrl, clock, stopping.Token);
        if (source is not null)
        {
            LogProbed(channelId, source.VideoCodec, source.Width, source.Height, source.Fps, source.HasAudio);
        }

        return source;
    }

    private string SourceUrl => options.RelayUrl(channelId);

    /// <summary>Runs one ffmpeg to its end; returns the speed when it was stopped for being too slow, else its exit code.</summary>
    private async Task<(double? TooSlow, int ExitCode)> RunFfmpegAsync(IReadOnlyList<RenditionOptions> rungs, SourceInfo? source, bool passthroughOnly, string? reason)
    {
        foreach (var rung in rungs)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, rung.Name));
        }

        var start = new ProcessStartInfo(options.FfmpegPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in HlsLadder.Arguments(options, SourceUrl, Directory, rungs, source))
        {
            start.ArgumentList.Add(argument);
        }

        lock (stderrTail)
        {
            stderrTail.Clear();
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{options.FfmpegPath} did not start");
        process.ErrorDataReceived += (_, e) => KeepTail(e.Data);
        process.BeginErrorReadLine();
        metrics.Transcoders.Add(1);
        try
        {
            await ReportAsync(new TranscodeStatus([.. rungs.Select(r => r.Name)], passthroughOnly, reason, clock.GetUtcNow()));
            var speed = new EncodingSpeed(TimeSpan.FromSeconds(5));
            var canFallBack = !passthroughOnly && rungs.Any(r => !r.IsPassthrough);
            var origin = clock.GetTimestamp();
            TimeSpan? slowSince = null;
            using var stop = stopping.Token.Register(() => _ = FfmpegStop.GracefullyAsync(process, GracefulStop));
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var now = clock.GetElapsedTime(origin);
                if (!speed.Read(line, now) || !canFallBack || speed.Written < WarmUp || speed.Current is not { } current)
                {
                    continue;
                }

                if (current >= options.TranscodeMinSpeed)
                {
                    slowSince = null;
                }
                else if (now - (slowSince ??= now) >= options.TranscodeSlowFor)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                    return (current, process.ExitCode);
                }
            }

            await process.WaitForExitAsync();
            return (null, process.ExitCode);
        }
        finally
        {
            metrics.Transcoders.Add(-1);
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private async Task ReportAsync(TranscodeStatus status)
    {
        try
        {
            await cluster.GetGrain<IBroadcasterGrain>(channelId).ReportTranscodeAsync(status);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The dashboard shows the ladder a little later; the broadcast is not held up for it.
            LogReportFailed(e, channelId);
        }
    }

    private void KeepTail(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (stderrTail)
        {
            stderrTail.Enqueue(line.Length > 300 ? line[..300] : line);
            while (stderrTail.Count > 10)
            {
                stderrTail.Dequeue();
            }
        }
    }

    private string StderrTail()
    {
        lock (stderrTail)
        {
            return string.Join(" | ", stderrTail);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} sends {Codec} {Width}x{Height} at {Fps:0.##} fps, audio: {HasAudio}")]
    private partial void LogProbed(Guid channelId, string codec, int width, int height, double fps, bool hasAudio);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: the quality ladder encoded at {Speed:0.00}x real time for {SlowFor}; falling back to passthrough for this broadcast")]
    private partial void LogFellBack(Guid channelId, double speed, TimeSpan slowFor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: the broadcast ended; its HLS worker stops")]
    private partial void LogEnded(Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: ffmpeg exited with {ExitCode} during the broadcast; restarting. Last output: {Output}")]
    private partial void LogExited(Guid channelId, int exitCode, string output);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {ChannelId}: the HLS worker failed; retrying")]
    private partial void LogFailed(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {ChannelId}: could not report the HLS worker's status")]
    private partial void LogReportFailed(Exception exception, Guid channelId);
}
