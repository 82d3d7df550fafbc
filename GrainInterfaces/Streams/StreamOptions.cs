namespace WgStream.GrainInterfaces.Streams;

/// <summary>Bound from the <c>Streams</c> section (environment: <c>WG_Streams__IngestSecret</c> and so on).</summary>
public sealed class StreamOptions
{
    public const string Section = "Streams";

    /// <summary><c>Nginx</c> (our nginx-rtmp ingest and HLS, the default) or <c>LiveKit</c>.</summary>
    public string Provider { get; set; } = "Nginx";

    /// <summary>What OBS is told to publish to (the key is the stream name).</summary>
    public string IngestUrl { get; set; } = "rtmp://127.0.0.1:1935/live";

    /// <summary>Public base of the HLS output: playback is <c>{HlsBaseUrl}/{channelId:N}/index.m3u8</c> (the master playlist).</summary>
    public string HlsBaseUrl { get; set; } = "http://127.0.0.1:8088/hls";

    /// <summary>Where the silo itself reads HLS (thumbnails), when that differs from the public address.</summary>
    public string? HlsInternalBaseUrl { get; set; }

    /// <summary>
    /// Base64 of 32 bytes: the AES-256-GCM key stream keys and TOTP secrets are encrypted with.
    /// Required in Production (the host refuses to start without it); elsewhere empty means a
    /// fixed development key, with a warning in the log.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>
    /// The shared secret nginx-rtmp sends (as <c>?secret=</c>) on every ingest callback. Without it
    /// configured the ingest endpoints refuse everything.
    /// </summary>
    public string? IngestSecret { get; set; }

    /// <summary>The nginx-rtmp application encoders publish to (keys are checked here).</summary>
    public string RtmpApplication { get; set; } = "live";

    /// <summary>The internal nginx-rtmp application that the renamed stream is relayed to and packaged as HLS.</summary>
    public string HlsApplication { get; set; } = "hls";

    /// <summary>A live RTMP broadcast with no on_update for this long is over (a crashed encoder or ingest).</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often viewer counts are written to the directory and announced (the in-memory count is always exact).</summary>
    public TimeSpan ViewerCountFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an Api node's report of its viewers counts unrenewed. Nodes report every third of
    /// this, so the viewers of a node that died stop counting within it (plus one timer tick).
    /// </summary>
    public TimeSpan ViewerLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often each silo sweeps for broadcasts whose records disagree (an open stream row, a live
    /// directory row) and has their broadcaster grains put them right; zero turns the sweep off
    /// (the one at silo start-up still runs).
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a live stream's thumbnail is grabbed again.</summary>
    public TimeSpan ThumbnailInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first thumbnail after going live: once HLS has a segment or two.</summary>
    public TimeSpan ThumbnailFirstDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Retry delay while no thumbnail could be grabbed yet.</summary>
    public TimeSpan ThumbnailRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The ffmpeg used for the quality ladder, thumbnails and recordings.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>How long after a raid the channel may raid again: a raid is an event, not a loop that drags viewers around.</summary>
    public TimeSpan RaidCooldown { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The ffprobe used to read what an encoder sends.</summary>
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>
    /// The directory nginx serves as <c>/hls/</c>. The Api node that receives the ingest callbacks
    /// runs one ffmpeg per live broadcast that writes <c>{HlsPath}/{channelId:N}/</c> there, so it
    /// must share that disk with nginx (<c>./wg run</c> and the ingest pod's sidecar do). Unset,
    /// the node makes no HLS and says so at start.
    /// </summary>
    public string? HlsPath { get; set; }

    /// <summary>Where that ffmpeg plays the renamed stream from: nginx's internal application, loopback only.</summary>
    public string HlsSourceUrl { get; set; } = "rtmp://127.0.0.1:1935/hls";

    /// <summary>The quality ladder; empty means <see cref="RenditionOptions.Defaults"/>. Configuration replaces it as a whole.</summary>
    public List<RenditionOptions> Renditions { get; set; } = [];

    /// <summary>
    /// Target HLS segment length. Segments are cut at the encoder's keyframes (every rung is
    /// keyframed where the source is, so they align), so this is reached when the encoder's
    /// keyframe interval is this or shorter.
    /// </summary>
    public TimeSpan SegmentDuration { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Segments each live playlist lists (older ones are deleted).</summary>
    public int PlaylistSegments { get; set; } = 6;

    /// <summary>
    /// The ladder falls back to passthrough for the rest of the broadcast when ffmpeg encodes
    /// slower than this fraction of real time for <see cref="TranscodeSlowFor"/>.
    /// </summary>
    public double TranscodeMinSpeed { get; set; } = 0.95;

    /// <summary>How long the ladder may run slower than real time before it falls back to passing the source through.</summary>
    public TimeSpan TranscodeSlowFor { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The H.264 encoder of the encoded rungs: <c>libx264</c> (software), <c>h264_nvenc</c> (NVIDIA)
    /// or <c>h264_vaapi</c> (Intel/AMD, with <see cref="VaapiDevice"/>); see docs/media.md.
    /// </summary>
    public string VideoEncoder { get; set; } = "libx264";

    /// <summary>The render node for <c>h264_vaapi</c>, e.g. <c>/dev/dri/renderD128</c>.</summary>
    public string? VaapiDevice { get; set; }

    public IReadOnlyList<RenditionOptions> Ladder => Renditions.Count > 0 ? Renditions : RenditionOptions.Defaults;

    public bool UsesLiveKit => string.Equals(Provider, "LiveKit", StringComparison.OrdinalIgnoreCase);

    public string PlaybackUrl(Guid channelId) => $"{HlsBaseUrl.TrimEnd('/')}/{channelId:N}/index.m3u8";

    /// <summary>Where a broadcast's HLS worker and WebRTC relay play its renamed stream.</summary>
    public string RelayUrl(Guid channelId) => $"{HlsSourceUrl.TrimEnd('/')}/{channelId:N}";

    public string InternalPlaybackUrl(Guid channelId) => $"{(HlsInternalBaseUrl ?? HlsBaseUrl).TrimEnd('/')}/{channelId:N}/index.m3u8";
}
