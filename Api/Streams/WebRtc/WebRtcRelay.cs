using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WgStream.Api.Streams.Transcoding;
using WgStream.Gateways.Janus;

namespace WgStream.Api.Streams.WebRtc;

/// <summary>
/// One live broadcast's WebRTC: a Janus streaming mountpoint named after the channel, and an
/// ffmpeg that plays the relayed RTMP stream and sends it to the mountpoint as RTP: H.264 passed
/// through when browsers decode it in real time (no B-frames), else encoded in Constrained Baseline;
/// audio always to Opus (WebRTC has no AAC). ffmpeg is started again (backing off) if it exits
/// while the broadcast goes on; the mountpoint is destroyed when the relay stops.
/// </summary>
public sealed partial class WebRtcRelay(
    Guid channelId,
    string ffmpegPath,
    string ffprobePath,
    string sourceUrl,
    JanusOptions options,
    JanusStreamingClient janus,
    TimeProvider clock,
    ILogger logger)
{
    public Guid ChannelId => channelId;

    public string MountpointId => MountpointIdFor(channelId);

    public static string MountpointIdFor(Guid channelId) => channelId.ToString("N");

    /// <summary>
    /// The mountpoint's secret: derived from Janus's token secret, so an Api restarted mid-broadcast
    /// can still destroy the mountpoint its predecessor made. Never sent to a browser.
    /// </summary>
    public static string MountpointSecret(string tokenSecret, Guid channelId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(tokenSecret), Encoding.UTF8.GetBytes($"mountpoint:{channelId:N}")));

    /// <summary>The PIN viewers watch with: handed out only with <see cref="WebRtcAccess"/>'s playback, so the viewer limit holds.</summary>
    public static string MountpointPin(string tokenSecret, Guid channelId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(tokenSecret), Encoding.UTF8.GetBytes($"pin:{channelId:N}")))[..16];

    private string Secret => MountpointSecret(options.TokenSecret!, channelId);

    public async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    var source = await SourceProbe.ProbeRelayAsync(ffprobePath, sourceUrl, clock, stopping);
                    var (video, fmtp) = VideoArguments(source);
                    // A mountpoint left by an earlier run (or by this node before it restarted) goes first.
                    await DestroyQuietlyAsync();
                    var mountpoint = await janus.CreateAsync(MountpointId, Secret, MountpointPin(options.TokenSecret!, channelId), fmtp, stopping);
                    LogCreated(channelId, mountpoint.VideoPort, mountpoint.AudioPort, video.Contains("copy", StringComparer.Ordinal));
                    var exit = await RunFfmpegAsync(mountpoint, video, source?.HasAudio ?? true, stopping);
                    if (stopping.IsCancellationRequested)
                    {
                        break;
                    }

                    failures++;
                    LogExited(channelId, exit);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures++;
                    LogFailed(e, channelId);
                }

                await Task.Delay(RestartBackoff.After(failures), clock, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await DestroyQuietlyAsync();
        }
    }

    /// <summary>Passthrough, or the Constrained Baseline encode, and the SDP fmtp that names what is sent.</summary>
    public static (IReadOnlyList<string> Arguments, string Fmtp) VideoArguments(SourceInfo? source)
    {
        var profileId = source is { VideoCodec: "h264", HasBFrames: false } ? ProfileId(source.Profile) : null;
        if (profileId is not null)
        {
            var level = source!.Level > 0 ? source.Level : 31;
            // SPS/PPS before every keyframe: a viewer who joins mid-stream can decode from the next one.
            return (["-c:v", "copy", "-bsf:v", "h264_mp4toannexb,dump_extra=freq=keyframe"],
                $"profile-level-id={profileId}{level:x2};packetization-mode=1");
        }

        var fps = source is { Fps: > 0 } ? (int)Math.Round(source.Fps) : 30;
        var tall = source is { Height: > 720 };
        return (["-c:v", "libx264", "-profile:v", "baseline", "-preset", "veryfast", "-tune", "zerolatency", "-bf", "0",
                "-g", fps.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-b:v", tall ? "4000k" : "2500k", "-bsf:v", "dump_extra=freq=keyframe"],
            $"profile-level-id=42e0{(tall ? "28" : "1f")};packetization-mode=1");
    }

    /// <summary>profile_idc and constraint flags of the H.264 profiles browsers decode over WebRTC.</summary>
    private static string? ProfileId(string? profile) => profile switch
    {
        "Constrained Baseline" => "42e0",
        "Baseline" => "4200",
        "Main" => "4d00",
        "High" => "6400",
        _ => null,
    };

    private async Task<int> RunFfmpegAsync(JanusMountpoint mountpoint, IReadOnlyList<string> video, bool hasAudio, CancellationToken stopping)
    {
        var host = options.RtpHost;
        string[] audio = hasAudio
            ? ["-map", "0:a:0", "-vn", "-c:a", "libopus", "-ar", "48000", "-ac", "2", "-b:a", "96k", "-payload_type", "111",
                "-f", "rtp", $"rtp://{host}:{mountpoint.AudioPort}?pkt_size=1200"]
            : []; // an encoder without audio: the mountpoint's audio stays silent
        using var process = FfmpegProcess.Start(ffmpegPath, [
            "-hide_banner", "-loglevel", "error", "-nostats", "-fflags", "nobuffer", "-i", sourceUrl,
            "-map", "0:v:0", .. video, "-an", "-payload_type", "96", "-f", "rtp", $"rtp://{host}:{mountpoint.VideoPort}?pkt_size=1200",
            .. audio], line => LogFfmpeg(channelId, line));
        try
        {
            await process.WaitForExitAsync(stopping);
            return process.ExitCode;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private async Task DestroyQuietlyAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await janus.DestroyAsync(MountpointId, Secret, limit.Token);
            LogDestroyed(channelId);
        }
        catch (Exception e) when (e is JanusException or HttpRequestException or OperationCanceledException)
        {
            LogDestroyFailed(channelId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: WebRTC mountpoint on RTP ports {VideoPort}/{AudioPort}, video passed through: {Passthrough}")]
    private partial void LogCreated(Guid channelId, int videoPort, int audioPort, bool passthrough);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: WebRTC mountpoint destroyed")]
    private partial void LogDestroyed(Guid channelId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {ChannelId}: no WebRTC mountpoint to destroy ({Reason})")]
    private partial void LogDestroyFailed(Guid channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: the WebRTC relay's ffmpeg exited with {ExitCode}; restarting")]
    private partial void LogExited(Guid channelId, int exitCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {ChannelId}: the WebRTC relay failed; retrying")]
    private partial void LogFailed(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {ChannelId} relay: {Line}")]
    private partial void LogFfmpeg(Guid channelId, string line);
}
