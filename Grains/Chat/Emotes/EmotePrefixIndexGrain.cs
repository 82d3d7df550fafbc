using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>
/// Every emote prefix and its channel, read from <c>emote_prefixes</c> when the grain activates and
/// kept current by the channels' grains (which write the table first). Only silo caches that miss
/// ask it, so one activation serves the platform.
/// </summary>
public sealed class EmotePrefixIndexGrain(EmoteStore store) : Grain, IEmotePrefixIndexGrain
{
    private Dictionary<string, Guid> owners = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => owners = await store.AllPrefixesAsync();

    public Task<Guid?> FindAsync(string prefix) => Task.FromResult(owners.TryGetValue(prefix, out var channelId) ? channelId : (Guid?)null);

    public Task SetAsync(Guid channelId, string? oldPrefix, string? newPrefix)
    {
        // A prefix released here may already be another channel's (its update came first): only the holder's goes.
        if (oldPrefix is not null && owners.TryGetValue(oldPrefix, out var holder) && holder == channelId)
        {
            owners.Remove(oldPrefix);
        }

        if (newPrefix is not null)
        {
            owners[newPrefix] = channelId;
        }

        return Task.CompletedTask;
    }
}
