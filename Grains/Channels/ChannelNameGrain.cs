using WgStream.GrainInterfaces.Channels;

namespace WgStream.Grains.Channels;

public sealed class ChannelNameGrain(ChannelListingStore directory) : Grain, IChannelNameGrain
{
    private Guid? channelId;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        channelId = await directory.FindByUsernameAsync(this.GetPrimaryKeyString());

    public Task<Guid?> GetChannelIdAsync()
    {
        if (channelId is null)
        {
            // Names are looked up anonymously (channel pages, previews): a made-up name must not
            // leave an activation behind until idle collection. A name taken later is read again.
            DeactivateOnIdle();
        }

        return Task.FromResult(channelId);
    }

    public async Task RefreshAsync() => channelId = await directory.FindByUsernameAsync(this.GetPrimaryKeyString());

    public Task SetChannelIdAsync(Guid? channelId)
    {
        this.channelId = channelId;
        return Task.CompletedTask;
    }
}
