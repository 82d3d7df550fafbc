using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Streams;

/// <summary>
/// One broadcast, keyed by a stream id made when it starts; its row in <c>streams</c> is the history.
/// While live it grabs a thumbnail now and then. Only the channel's <see cref="IBroadcasterGrain"/>
/// drives it.
/// </summary>
public interface IStreamGrain : IGrainWithGuidKey
{
    Task StartAsync(StreamStart start);

    Task UpdateAsync(string title, string? categorySlug);

    /// <summary>The current number of viewers, exact in memory; the peak is kept, and stored when <paramref name="persist"/>.</summary>
    Task SetViewerCountAsync(int viewers, bool persist);

    Task<StreamInfo> EndAsync(StreamEndReason reason, DateTimeOffset endedAt);

    [ReadOnly]
    Task<StreamInfo?> GetAsync();
}
