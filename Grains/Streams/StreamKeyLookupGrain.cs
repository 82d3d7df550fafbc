using Orleans.Concurrency;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

[StatelessWorker]
public sealed class StreamKeyLookupGrain(StreamStore store) : Grain, IStreamKeyLookupGrain
{
    public Task<Guid?> FindChannelAsync(string keyHash) =>
        keyHash.Length == 64 ? store.FindChannelByKeyHashAsync(keyHash) : Task.FromResult<Guid?>(null);
}
