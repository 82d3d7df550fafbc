using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>Bound from the <c>Chat</c> section: how long this node waits for a room to take a message.</summary>
public sealed class ChatSendOptions
{
    public const string Section = "Chat";

    /// <summary>
    /// How long one attempt waits for the room's answer before it is given up and tried again.
    /// A healthy room answers in milliseconds; an attempt that went to a silo killed mid-call would
    /// otherwise wait Orleans' 30 s response timeout.
    /// </summary>
    public TimeSpan SendAttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a send keeps retrying in all before the client is told to retry (<c>UNAVAILABLE</c>); covers a silo being declared dead (about 3–4 s).</summary>
    public TimeSpan SendDeadline { get; set; } = TimeSpan.FromSeconds(8);
}

/// <summary>
/// Sends chat messages for both transports (GraphQL and the hub). The message id is chosen here,
/// once, so an attempt that was cut off (its silo died, its answer was lost) can be tried again
/// without the risk of posting twice: the room returns the message it already accepted under that
/// id. Only failures of the cluster itself are retried; a refusal (rate limit, ban, …) is the answer.
/// </summary>
public sealed partial class ChatSender(IClusterClient cluster, IOptions<ChatSendOptions> options, TimeProvider clock, ILogger<ChatSender> logger)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);

    public async Task<ChatMessage> SendAsync(Guid channelId, Guid senderId, string text, CancellationToken aborted)
    {
        var settings = options.Value;
        var room = cluster.GetGrain<IChatRoomGrain>(channelId);
        var messageId = Guid.CreateVersion7(clock.GetUtcNow());
        var started = clock.GetTimestamp();
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            attemptTimeout.CancelAfter(settings.SendAttemptTimeout);
            try
            {
                return await room.SendAsync(senderId, text, messageId, attemptTimeout.Token);
            }
            catch (Exception e) when (!aborted.IsCancellationRequested && IsClusterFailure(e))
            {
                var elapsed = clock.GetElapsedTime(started);
                if (elapsed + backoff >= settings.SendDeadline)
                {
                    LogGaveUp(channelId, attempt, elapsed.TotalMilliseconds, e);
                    throw WgException.Unavailable("Chat is briefly unavailable; your message was not sent. Try again.", clock.GetUtcNow().AddSeconds(1));
                }

                LogRetrying(channelId, attempt, e.GetType().Name);
                await Task.Delay(backoff, clock, aborted);
                backoff *= 2;
            }
        }
    }

    /// <summary>The cluster failed to answer, as opposed to the room refusing: a timeout, a dead or unreachable silo, a rejected message.</summary>
    private static bool IsClusterFailure(Exception e) => e is OperationCanceledException or TimeoutException or OrleansException;

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat send to room {ChannelId} failed on attempt {Attempt} ({Failure}); retrying with the same message id")]
    private partial void LogRetrying(Guid channelId, int attempt, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat send to room {ChannelId} gave up after {Attempt} attempts in {ElapsedMs:F0} ms")]
    private partial void LogGaveUp(Guid channelId, int attempt, double elapsedMs, Exception exception);
}
