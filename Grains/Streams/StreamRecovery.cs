using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Infrastructure.Secrets;

namespace WgStream.Grains.Streams;

/// <summary>
/// Silo start-up: broadcasts left open by a silo that stopped are watched again, and every channel
/// whose records say live is checked by its broadcaster grain (see <see cref="IBroadcasterGrain.ResumeAsync"/>),
/// which owns the fact and repairs the stream row and the listing. <see cref="StreamReconciliationService"/>
/// runs the same pass periodically. Also creates the secret protector now, so a missing encryption
/// key is warned about at start.
/// </summary>
public static partial class StreamRecovery
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<SecretProtector>();
        await ReconcileAsync(services, cancellationToken);
    }

    /// <summary>One pass; a channel that fails is logged and left to the next pass. Returns how many channels were checked.</summary>
    public static async Task<int> ReconcileAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StreamRecovery));
        var channels = await services.GetRequiredService<StreamStore>().ChannelsToReconcileAsync();
        foreach (var channelId in channels)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await grains.GetGrain<IBroadcasterGrain>(channelId).ResumeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReconcileFailed(logger, e, channelId);
            }
        }

        return channels.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reconcile the broadcast state of channel {ChannelId}; the next sweep tries again")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, Guid channelId);
}
