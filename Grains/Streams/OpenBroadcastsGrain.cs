using Orleans.Concurrency;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

[StatelessWorker]
public sealed class OpenBroadcastsGrain(StreamStore store) : Grain, IOpenBroadcastsGrain
{
    public Task<IReadOnlyList<Guid>> ChannelsAsync(IngestKind ingest) => store.OpenStreamChannelsAsync(ingest);
}
