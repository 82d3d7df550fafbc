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
    /// Counts a viewer (a chat connection, a watching socket...) under a key unique to that
    /// connection; joining twice counts once. Viewers waiting on an offline channel are kept and
    /// counted when it goes live. Returns the current count (0 while offline).
    /// </summary>
    Task<int> ViewerJoinedAsync(string connectionKey);

    Task<int> ViewerLeftAsync(string connectionKey);

    /// <summary>Activates the grain so that a broadcast left open by a stopped silo is watched (and ended) again.</summary>
    Task ResumeAsync();
}
