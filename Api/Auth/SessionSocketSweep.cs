using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Auth;

/// <summary>Bound from the <c>Accounts</c> section.</summary>
public sealed class SessionSocketOptions
{
    /// <summary>How often this node asks whether each session with open sockets is still live; zero turns the sweep off.</summary>
    public TimeSpan SocketSessionCheck { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Revocations close sockets through a stream event (<see cref="SessionRevocationListener"/>), in
/// milliseconds. An event can be lost, though (a node cut off from the cluster at that moment), and a
/// session that simply expires announces nothing. So every <see cref="SessionSocketOptions.SocketSessionCheck"/>
/// the node asks the grain of each session it has sockets for whether it is still live, a few at a
/// time, and closes the sockets of those that are not with 4403, as a revocation would.
/// </summary>
public sealed partial class SessionSocketSweep(
    IClusterClient cluster,
    WebSocketRegistry registry,
    IOptions<SessionSocketOptions> options,
    ILogger<SessionSocketSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.SocketSessionCheck <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SocketSessionCheck);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The cluster may be briefly away; the next round tries again.
                LogSweepFailed(e);
            }
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        var ended = 0;
        await Parallel.ForEachAsync(registry.SessionIds(), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (sessionId, _) =>
        {
            if (await cluster.GetGrain<ISessionGrain>(sessionId).GetInfoAsync() is null)
            {
                Interlocked.Increment(ref ended);
                await registry.CloseSessionAsync(sessionId);
            }
        });
        if (ended > 0)
        {
            LogClosed(ended);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the sockets of {Sessions} session(s) that had ended without a revocation reaching this node")]
    private partial void LogClosed(int sessions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The session sweep failed; it runs again next round")]
    private partial void LogSweepFailed(Exception exception);
}
