using System.Diagnostics.Metrics;

namespace WgStream.ServiceDefaults;

/// <summary>
/// The platform's own instruments, on the <c>WgStream</c> meter that OpenTelemetry exports (the
/// Prometheus scrape at <c>/metrics</c> shows them as <c>wg_chat_messages_total</c> and so on).
/// </summary>
public sealed class WgMetrics
{
    public const string MeterName = "WgStream";

    public WgMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        ChatMessages = meter.CreateCounter<long>("wg.chat.messages", description: "Chat messages stored and published.");
        LiveStreams = meter.CreateUpDownCounter<int>("wg.streams.live", description: "Broadcasts live on this silo.");
        RealtimeConnections = meter.CreateUpDownCounter<int>("wg.realtime.connections", description: "Open graphql-transport-ws and SignalR connections on this Api node.");
        CoalescedWrites = meter.CreateCounter<long>("wg.realtime.coalesced_writes", description: "graphql-transport-ws writes that carried several queued frames to the transport at once.");
        CoalescedFrames = meter.CreateCounter<long>("wg.realtime.coalesced_frames", description: "WebSocket frames that went out in a coalesced write.");
        Transcoders = meter.CreateUpDownCounter<int>("wg.streams.transcoders", description: "HLS workers (one ffmpeg per live broadcast) running on this Api node.");
        TranscodeFallbacks = meter.CreateCounter<long>("wg.streams.transcode_fallbacks", description: "Broadcasts whose quality ladder fell back to passthrough because encoding was slower than real time.");
        TranscodeRestarts = meter.CreateCounter<long>("wg.streams.transcode_restarts", description: "HLS workers restarted after their ffmpeg exited during a broadcast.");
    }

    public Counter<long> ChatMessages { get; }

    public UpDownCounter<int> LiveStreams { get; }

    public UpDownCounter<int> RealtimeConnections { get; }

    public Counter<long> CoalescedWrites { get; }

    public Counter<long> CoalescedFrames { get; }

    public UpDownCounter<int> Transcoders { get; }

    public Counter<long> TranscodeFallbacks { get; }

    public Counter<long> TranscodeRestarts { get; }
}
