using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.ServiceDefaults;

namespace WgStream.Api.Chat;

/// <summary>
/// Records <c>wg.chat.delivery_latency</c>: how long after its room grain accepted a message
/// (<see cref="ChatMessage.SentAt"/>, the grain's clock) this Api node got it and handed it to its
/// sinks. Measured where the node's one subscription per room receives the batch
/// (<see cref="NodeFeeds"/>), so once per message per node however many connections it then fans
/// out to. The silo's and the node's clocks are compared, so skew between machines shows in the
/// figure; a negative difference (this clock behind) is recorded as 0.
/// </summary>
public sealed class ChatDeliveryLatency(WgMetrics metrics, TimeProvider clock) : IFeedArrivals
{
    public void Arrived(string streamNamespace, object item)
    {
        if (streamNamespace != StreamNames.Chat || item is not ChatEventBatch batch)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var events = batch.Events;
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is { Kind: ChatEventKind.MessageAdded, Message: { } message })
            {
                metrics.ChatDeliveryLatency.Record(Math.Max(0, (now - message.SentAt).TotalMilliseconds));
            }
        }
    }
}
