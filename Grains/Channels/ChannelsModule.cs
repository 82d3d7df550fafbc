using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WgStream.Grains.Channels;

public static class ChannelsModule
{
    /// <summary>Channels on a silo: the channel and follow tables, the directory with its shared read cache, categories, and follower rewards.</summary>
    public static ISiloBuilder AddChannels(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.Section));
        services.AddSingleton<DirectoryReadCache>();
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<ChannelListingStore>();
        services.AddSingleton<CategoryStore>();
        services.AddOptions<RewardOptions>().Bind(configuration.GetSection(RewardOptions.Section));
        return silo;
    }
}
