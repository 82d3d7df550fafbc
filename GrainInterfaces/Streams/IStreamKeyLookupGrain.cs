using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Streams;

/// <summary>Finds the channel a stream key belongs to, by the key's SHA-256 (hex). A stateless worker: use key 0.</summary>
public interface IStreamKeyLookupGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    Task<Guid?> FindChannelAsync(string keyHash);
}
