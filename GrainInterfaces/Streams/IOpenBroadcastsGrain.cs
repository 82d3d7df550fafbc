using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Streams;

/// <summary>
/// The broadcasts that have not ended, by where they came in, from their stream rows (each a
/// projection of its <see cref="IBroadcasterGrain"/>, which has the fact). A stateless worker: use key 0.
/// </summary>
public interface IOpenBroadcastsGrain : IGrainWithIntegerKey
{
    /// <summary>The channels with a broadcast on <paramref name="ingest"/> that has not ended.</summary>
    [ReadOnly]
    Task<IReadOnlyList<Guid>> ChannelsAsync(IngestKind ingest);
}
