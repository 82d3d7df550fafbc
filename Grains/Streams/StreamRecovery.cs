using Microsoft.Extensions.DependencyInjection;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Infrastructure.Secrets;

namespace WgStream.Grains.Streams;

/// <summary>
/// Silo start-up: broadcasts left open by a silo that stopped are watched again (their broadcaster
/// grains resume the heartbeat clock, so a dead encoder's stream ends after the timeout). Also
/// creates the secret protector now, so a missing encryption key is warned about at start.
/// </summary>
public static class StreamRecovery
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SecretProtector>();
        var grains = services.GetRequiredService<IGrainFactory>();
        foreach (var channelId in await services.GetRequiredService<StreamStore>().ChannelsWithOpenStreamsAsync())
        {
            await grains.GetGrain<IBroadcasterGrain>(channelId).ResumeAsync();
        }
    }
}
