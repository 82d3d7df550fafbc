using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WgStream.Grains.Chat.Emotes;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Grains.Channels;

public static class ChannelsModule
{
    /// <summary>
    /// Channels on a silo: the channel and follow tables, the directory with its shared read cache,
    /// categories, follower rewards, and what the upload workflow (<see cref="ChannelMediaGrain"/>)
    /// needs: the image and emote processors with the media store (each registered once, however many
    /// modules ask).
    /// </summary>
    public static ISiloBuilder AddChannels(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.Section));
        services.AddSingleton<DirectoryReadCache>();
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<ChannelListingStore>();
        services.AddSingleton<CategoryStore>();
        services.AddOptions<RewardOptions>().Bind(configuration.GetSection(RewardOptions.Section));
        services.AddWgStreamImageProcessing(configuration);
        services.AddWgStreamEmotes(configuration);
        return silo;
    }
}
