using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Streams;

/// <summary>
/// A channel's broadcasting side, keyed by the channel id: its stream key and stream settings, the
/// encoder connection that is live right now, and who is watching. Ingest callbacks (nginx-rtmp,
/// LiveKit webhooks) come here; going live starts a <see cref="IStreamGrain"/> and flips the
/// channel's live state.
/// </summary>
public interface IBroadcasterGrain : IGrainWithGuidKey
{
    /// <summary>The owner's settings; a key is made on first use.</summary>
    Task<StreamSettings> GetSettingsAsync();

    /// <summary>Whether the owner keeps broadcasts as videos (on unless switched off).</summary>
    [ReadOnly]
    Task<bool> RecordsBroadcastsAsync();

    /// <summary>A new key; the old one stops working at once, and an encoder live on it is cut off.</summary>
    Task<StreamSettings> RotateKeyAsync();

    /// <summary>Title (1–140 characters) and category (a slug from <c>categories</c>); applies to a live stream at once.</summary>
    Task<StreamSettings> UpdateAsync(StreamUpdate update);

    /// <summary>
    /// An encoder wants to publish. <paramref name="keyHash"/> (SHA-256 hex of the key) must be this
    /// channel's current key; null only for LiveKit, whose webhook is already authenticated.
    /// </summary>
    Task<PublishResult> PublishAsync(IngestConnection connection, string? keyHash);

    /// <summary>The ingest says the connection is still publishing; false if it is not this channel's live one.</summary>
    Task<bool> HeartbeatAsync(IngestConnection connection);

    /// <summary>The connection stopped publishing; ignored unless it is the live one.</summary>
    Task PublishDoneAsync(IngestConnection connection);

    /// <summary>The live broadcast with its exact current viewer count, or null when offline.</summary>
    [ReadOnly]
    Task<StreamInfo?> GetLiveAsync();

    /// <summary>
    /// The connection the live broadcast came in on, or null when offline: what a poller that finds
    /// the ingest gone (LiveKit, whose webhooks can be lost) passes to <see cref="PublishDoneAsync"/>.
    /// </summary>
    [ReadOnly]
    Task<IngestConnection?> GetConnectionAsync();

    /// <summary>
    /// An Api node's viewers of this channel (chat connections, watching sockets): it replaces that
    /// node's previous report and counts until <see cref="ViewerReport.Lease"/> runs out, so nodes
    /// re-report well within it and a node that dies stops counting when its lease ends. A report
    /// older (lower <see cref="ViewerReport.Sequence"/>) than the node's last is ignored; a count of
    /// 0 removes the node at once. Viewers waiting on an offline channel are kept and counted when
    /// it goes live. Returns the viewers across all nodes (whether or not the channel is live).
    /// </summary>
    Task<int> ReportViewersAsync(ViewerReport report);

    /// <summary>The HLS worker's report for the live broadcast; ignored when the channel is offline.</summary>
    Task ReportTranscodeAsync(TranscodeStatus status);

    /// <summary>The live broadcast's last HLS worker report, or null (offline, or none yet).</summary>
    [ReadOnly]
    Task<TranscodeStatus?> GetTranscodeAsync();

    /// <summary>Activates the grain so that a broadcast left open by a stopped silo is watched (and ended) again.</summary>
    Task ResumeAsync();

    /// <summary>Ends the live broadcast, if any, for <paramref name="reason"/> (an operator's site ban): the same end as an encoder that stops. Idempotent.</summary>
    Task EndBroadcastAsync(StreamEndReason reason);

    /// <summary>
    /// While live, sends this channel's viewers to the live channel <paramref name="targetChannelId"/>
    /// (which must accept raids from it) and announces the raid in its chat. One raid per
    /// <c>Streams:RaidCooldown</c>; the broadcast itself goes on until the encoder stops.
    /// </summary>
    Task<Raid> RaidAsync(Guid targetChannelId);

    /// <summary>
    /// Refuses (NOT_FOUND when not live, FORBIDDEN by this channel's policy or block) a raid from
    /// <paramref name="raiderChannelId"/>. Interleaves: two channels may raid each other at once.
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task EnsureAcceptsRaidAsync(Guid raiderChannelId);

    [Orleans.Concurrency.ReadOnly]
    Task<RaidPolicy> GetRaidPolicyAsync();

    Task<RaidPolicy> SetRaidPolicyAsync(RaidPolicy policy);

    /// <summary>How the live broadcast comes in, for the operators' view; null when offline.</summary>
    [ReadOnly]
    Task<IngestHealth?> GetIngestHealthAsync();
}
