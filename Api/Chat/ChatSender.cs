using WgStream.Api.Hosting;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>
/// Sends chat messages for both transports (GraphQL and the hub). The message id is chosen here,
/// once, so an attempt that was cut off (its silo died, its answer was lost) can be tried again
/// without the risk of posting twice: the room returns the message it already accepted under that
/// id. Only failures of the cluster itself are retried (<see cref="ClusterRetry"/>); a refusal
/// (rate limit, ban, …) is the answer.
/// </summary>
public sealed class ChatSender(IClusterClient cluster, ClusterRetry retry, TimeProvider clock)
{
    public async Task<ChatMessage> SendAsync(Guid channelId, Guid senderId, string text, Guid? replyTo, CancellationToken aborted)
    {
        var room = cluster.GetGrain<IChatRoomGrain>(channelId);
        var messageId = Guid.CreateVersion7(clock.GetUtcNow());
        try
        {
            return await retry.RunAsync("Chat send", attempt => room.SendAsync(senderId, text, messageId, replyTo, attempt), aborted);
        }
        catch (Exception e) when (!aborted.IsCancellationRequested && ClusterRetry.IsClusterFailure(e))
        {
            // Whether the room stored it is unknown here (every answer was lost), so say so plainly.
            throw WgException.Unavailable("Chat is briefly unavailable and the message may not have been sent; try again.", clock.GetUtcNow().AddSeconds(1));
        }
    }
}
