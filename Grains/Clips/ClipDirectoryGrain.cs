using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Clips;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;

namespace WgStream.Grains.Clips;

[StatelessWorker]
public sealed class ClipDirectoryGrain(ClipStore store, IMediaStore media) : Grain, IClipDirectoryGrain
{
    public async Task<Page<ClipInfo>> ChannelClipsAsync(Guid channelId, ClipOrder order, int first, string? after)
    {
        var page = await store.ChannelClipsAsync(channelId, order, first, after);
        return new Page<ClipInfo>([.. page.Edges.Select(e => new Edge<ClipInfo>(e.Cursor, e.Node.ToInfo(media)))], page.HasNextPage);
    }

    public async Task<int> RemoveChannelClipsAsync(Guid channelId)
    {
        // Through each clip's grain, so one being cut is stopped first and none is left half-removed.
        var ids = await store.ChannelClipIdsAsync(channelId);
        foreach (var id in ids)
        {
            await GrainFactory.GetGrain<IClipGrain>(id).RemoveAsync();
        }

        return ids.Count;
    }
}
