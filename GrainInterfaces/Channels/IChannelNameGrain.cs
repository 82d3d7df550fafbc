using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Channels;

/// <summary>
/// Resolves a username (the grain key, lower-cased) to its channel id from memory, so a channel
/// page read touches no database once warm. Loaded from the directory on activation and kept
/// current by the channel itself.
/// </summary>
public interface IChannelNameGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<Guid?> GetChannelIdAsync();

    Task SetChannelIdAsync(Guid? channelId);

    /// <summary>Reloads the name's owner from the directory (after a rename or deletion released or took it).</summary>
    Task RefreshAsync();
}
