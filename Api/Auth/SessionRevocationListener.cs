using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Auth;

/// <summary>
/// Subscribes this Api node, once, to the cluster-wide revocation stream and closes the sockets of
/// revoked sessions (the issue asks for within a second; memory streams deliver in milliseconds).
/// </summary>
public sealed partial class SessionRevocationListener(IClusterClient client, WebSocketRegistry registry, ILogger<SessionRevocationListener> logger)
    : IHostedService
{
    private StreamSubscriptionHandle<SessionRevoked>? handle;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var stream = client.GetStreamProvider(StreamNames.Provider)
            .GetStream<SessionRevoked>(StreamId.Create(StreamNames.SessionRevocations, StreamNames.SessionRevocationsKey));
        handle = await stream.SubscribeAsync(async (revoked, _) =>
        {
            LogRevoked(revoked.UserId);
            await registry.CloseSessionAsync(revoked.SessionId);
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (handle is not null)
        {
            try
            {
                await handle.UnsubscribeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The cluster may already be shutting down; the subscription dies with it.
                LogUnsubscribeFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A session of user {UserId} was revoked; closing its sockets")]
    private partial void LogRevoked(Guid userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from session revocations")]
    private partial void LogUnsubscribeFailed(Exception exception);
}
