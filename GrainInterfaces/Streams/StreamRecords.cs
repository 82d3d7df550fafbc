namespace WgStream.GrainInterfaces.Streams;

/// <summary>
/// What the channel owner sees on the dashboard. The key is the secret an encoder (OBS) publishes
/// with; the ingest URL comes from the Api's configuration, not from here.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StreamSettings(
    string StreamKey,
    string? Title,
    string? CategorySlug,
    DateTimeOffset KeyRotatedAt,
    bool RecordBroadcasts = true,
    Channels.ChannelClassification? Classification = null);

/// <summary>
/// Null fields are left as they are. <see cref="RecordBroadcasts"/>: whether the next broadcasts are
/// kept as past broadcasts (videos). <see cref="Classification"/>: tags, language and the mature flag,
/// which the channel holds (they describe it offline too).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StreamUpdate(string? Title, string? CategorySlug, bool? RecordBroadcasts = null, Channels.ClassificationUpdate? Classification = null);

/// <summary>Where a broadcast comes in.</summary>
public enum IngestKind
{
    /// <summary>Our nginx-rtmp: key checked by on_publish, liveness by on_update.</summary>
    Rtmp,

    /// <summary>A LiveKit ingress (RTMP or WHIP): start and end arrive as signed webhooks.</summary>
    LiveKit,
}

/// <summary>
/// One encoder connection as the ingest names it: for RTMP the ingest server and nginx's client id,
/// for LiveKit the ingress id. Lets a late "done" from an old connection be told from the current one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record IngestConnection(IngestKind Kind, string Id);

/// <summary>
/// How many viewers of one channel an Api node has (<paramref name="NodeId"/> is new each time the
/// node starts). <paramref name="Sequence"/> grows with every report the node sends, so a report
/// overtaken by a newer one is recognised; <paramref name="Lease"/> is how long it counts unrenewed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ViewerReport(string NodeId, int Count, long Sequence, TimeSpan Lease);

public enum PublishOutcome
{
    Accepted,

    /// <summary>The key is not (or no longer) this channel's.</summary>
    WrongKey,

    /// <summary>Another encoder is live on this channel.</summary>
    AlreadyLive,

    /// <summary>
    /// This very connection already stopped (its on_publish_done overtook its on_publish) or was cut
    /// off: a late or retried on_publish for it must not put the channel live with nobody publishing.
    /// </summary>
    AlreadyEnded,

    /// <summary>The channel's owner is banned from the site.</summary>
    Banned,
}

[GenerateSerializer, Immutable]
public sealed record PublishResult(PublishOutcome Outcome, Guid? StreamId);

public enum StreamEndReason
{
    /// <summary>The encoder stopped (on_publish_done).</summary>
    PublisherStopped,

    /// <summary>No on_update heartbeat for the configured time: a crashed encoder or ingest.</summary>
    HeartbeatTimeout,

    /// <summary>The owner rotated the key; the encoder using the old one is cut off.</summary>
    KeyRotated,

    /// <summary>LiveKit reported the ingress ended.</summary>
    IngressEnded,

    /// <summary>
    /// Closed by reconciliation: a go-live or an end was cut short (a silo stopped, a write failed)
    /// and the broadcaster, which owns the fact, put the stream record and the listing right.
    /// </summary>
    Interrupted,

    /// <summary>An operator banned the channel's owner from the site.</summary>
    SiteBanned,
}

/// <summary>Everything needed to start a broadcast record.</summary>
[GenerateSerializer, Immutable]
public sealed record StreamStart(Guid ChannelId, string Title, string? CategorySlug, DateTimeOffset StartedAt, IngestKind Ingest);

/// <summary>One broadcast: live while <see cref="EndedAt"/> is null.</summary>
[GenerateSerializer, Immutable]
public sealed record StreamInfo(
    Guid Id,
    Guid ChannelId,
    string Title,
    string? CategorySlug,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    StreamEndReason? EndReason,
    int ViewerCount,
    int PeakViewers,
    IngestKind Ingest,
    string? ThumbnailUrl)
{
    public bool IsLive => EndedAt is null;
}

public enum StreamStatusKind
{
    /// <summary>The channel went live.</summary>
    Live,

    /// <summary>Title, category or viewer count of the live stream changed.</summary>
    Updated,

    /// <summary>The broadcast ended.</summary>
    Offline,

    /// <summary>The broadcaster raided another channel (<see cref="StreamStatusChanged.Raid"/>): viewers are taken there.</summary>
    Raided,
}

/// <summary>Published on the <c>stream-status</c> stream of the channel (see <c>StreamNames</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record StreamStatusChanged(
    Guid ChannelId,
    StreamStatusKind Kind,
    Guid StreamId,
    string Title,
    string? CategorySlug,
    int ViewerCount,
    StreamEndReason? EndReason,
    DateTimeOffset At,
    Raid? Raid = null);
