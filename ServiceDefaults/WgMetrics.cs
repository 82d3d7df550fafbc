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
        ChatDeliveries = meter.CreateCounter<long>("wg.chat.deliveries", description: "Chat messages written to client connections (SignalR and graphql-transport-ws) by this Api node, by transport.");
        ChatDeliveryLatency = meter.CreateHistogram(
            "wg.chat.delivery_latency",
            unit: "ms",
            description: "From a chat message's acceptance by its room grain (its SentAt) to this Api node handing it to its subscribers; once per message per node.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryLatencyBuckets });
    }

    /// <summary>The <c>transport</c> tag of <see cref="ChatDeliveries"/>, boxed once so adding to the counter allocates nothing.</summary>
    public static KeyValuePair<string, object?> SignalRTransport { get; } = new("transport", "signalr");

    /// <inheritdoc cref="SignalRTransport"/>
    public static KeyValuePair<string, object?> GraphQLWsTransport { get; } = new("transport", "graphql-ws");

    /// <summary>
    /// 1 ms to 10 s: a message normally reaches the Api nodes within a few milliseconds (one stream
    /// hop after its batch is stored), and anything past seconds is an outage, not a distribution.
    /// The default buckets (0 to 10 000 in wide steps) would put all of the healthy range in one bucket.
    /// </summary>
    private static IReadOnlyList<double> DeliveryLatencyBuckets { get; } = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    public Counter<long> ChatMessages { get; }

    public UpDownCounter<int> LiveStreams { get; }

    public UpDownCounter<int> RealtimeConnections { get; }

    public Counter<long> CoalescedWrites { get; }

    public Counter<long> CoalescedFrames { get; }

    public UpDownCounter<int> Transcoders { get; }

    public Counter<long> TranscodeFallbacks { get; }

    public Counter<long> TranscodeRestarts { get; }

    /// <summary>Add once per fanned-out message and batch of connections (tagged <see cref="SignalRTransport"/> or <see cref="GraphQLWsTransport"/>), not once per connection.</summary>
    public Counter<long> ChatDeliveries { get; }

    public Histogram<double> ChatDeliveryLatency { get; }
}
