using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Chat;

/// <summary>
/// The platform's emote prefixes: which channel holds each one, in memory (every prefix is read once
/// when it activates; use key 0). Silos ask it only when their cache misses a prefix, so a code
/// that is no emote costs one call per silo per cache time, never a database read.
/// </summary>
public interface IEmotePrefixIndexGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    Task<Guid?> FindAsync(string prefix);

    /// <summary>
    /// A channel's prefix moved from <paramref name="oldPrefix"/> to <paramref name="newPrefix"/>
    /// (either may be null), as already written to the table; idempotent.
    /// </summary>
    Task SetAsync(Guid channelId, string? oldPrefix, string? newPrefix);
}
