using System.Globalization;
using System.Security.Cryptography;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>
/// The streaming half of a test Api, for any fixture that wants encoders to go live: the Api's
/// <c>WG_Streams__*</c> settings (short heartbeat timeout, fast viewer-count flushes and thumbnails)
/// and a real nginx-rtmp ingest whose callbacks point at that Api, started once the Api listens.
/// </summary>
public sealed class RtmpIngest : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(4);

    public string IngestSecret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public int RtmpPort { get; } = FreePort.Next();

    public int HlsPort { get; } = FreePort.Next();

    public string IngestUrl => $"rtmp://127.0.0.1:{RtmpPort}/live";

    /// <summary>nginx's prefix; the Api's HLS worker writes <c>hls/</c> under it, which nginx serves.</summary>
    public string Directory { get; } = NginxRtmp.NewDirectory();

    public NginxRtmp Nginx { get; private set; } = null!;

    /// <summary>What the Api needs to hand out this ingest's URLs and accept its callbacks.</summary>
    public IReadOnlyDictionary<string, string> ApiSettings { get; }

    public RtmpIngest()
    {
        ApiSettings = new Dictionary<string, string>
        {
            ["WG_Streams__IngestSecret"] = IngestSecret,
            ["WG_Streams__IngestUrl"] = IngestUrl,
            ["WG_Streams__HlsBaseUrl"] = $"http://127.0.0.1:{HlsPort}/hls",
            ["WG_Streams__HlsPath"] = Path.Combine(Directory, "hls"),
            ["WG_Streams__HlsSourceUrl"] = $"rtmp://127.0.0.1:{RtmpPort}/hls",
            ["WG_Streams__HeartbeatTimeout"] = HeartbeatTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["WG_Streams__ViewerCountFlushInterval"] = "00:00:00.300",
            ["WG_Streams__ThumbnailFirstDelay"] = "00:00:03",
            ["WG_Streams__ThumbnailRetryDelay"] = "00:00:01",
            ["WG_Streams__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
    }

    /// <summary>Starts nginx against the Api listening on <paramref name="apiPort"/>.</summary>
    public async Task StartAsync(int apiPort) => Nginx = await NginxRtmp.StartAsync(apiPort, IngestSecret, RtmpPort, HlsPort, directory: Directory);

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }
    }
}
