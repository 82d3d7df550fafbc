using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Videos;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;

namespace WgStream.Grains.Videos;

[StatelessWorker]
public sealed class VideoDirectoryGrain(VideoStore store, IMediaStore media) : Grain, IVideoDirectoryGrain
{
    public async Task<Page<VideoInfo>> ChannelVideosAsync(Guid channelId, int first, string? after)
    {
        var page = await store.ChannelVideosAsync(channelId, first, after);
        return new Page<VideoInfo>([.. page.Edges.Select(e => new Edge<VideoInfo>(e.Cursor, e.Node.ToInfo(media)))], page.HasNextPage);
    }
}
