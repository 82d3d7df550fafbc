using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>
/// Chat activity for the live broadcast's analytics sampler (Grains/Analytics): an in-memory count
/// of stored messages and a set of their senders, added to once per stored batch and read (and
/// restarted) by <see cref="TakeActivityAsync"/>. Nothing is written per message.
/// </summary>
public sealed partial class ChatRoomGrain
{
    /// <summary>How long a sampler may leave between takes before the room stops tracking senders for it (a day: far longer than any sample interval).</summary>
    private static readonly TimeSpan MaxTrackFor = TimeSpan.FromDays(1);

    private int activityMessages;
    private HashSet<Guid>? activityChatters;
    private DateTimeOffset trackChattersUntil;

    public Task<ChatActivity> TakeActivityAsync(TimeSpan trackFor)
    {
        var taken = new ChatActivity(activityMessages, activityChatters?.Count ?? 0);
        activityMessages = 0;
        var keep = trackFor < TimeSpan.Zero ? TimeSpan.Zero : trackFor > MaxTrackFor ? MaxTrackFor : trackFor;
        trackChattersUntil = clock.GetUtcNow() + keep;
        // A set grown large by a busy span is not kept at that size for the quiet ones after it.
        activityChatters = keep > TimeSpan.Zero && activityChatters is { Count: < 1024 } small ? Cleared(small) : null;
        return Task.FromResult(taken);

        static HashSet<Guid> Cleared(HashSet<Guid> set)
        {
            set.Clear();
            return set;
        }
    }

    /// <summary>Counts a stored batch's messages, and their senders while a sampler is taking them.</summary>
    private void CountActivity(List<ChatMessage> added, DateTimeOffset now)
    {
        if (added.Count == 0)
        {
            return;
        }

        activityMessages = (int)Math.Min(int.MaxValue, (long)activityMessages + added.Count);
        if (now > trackChattersUntil)
        {
            // Nobody has sampled this room lately (no live broadcast): no set to grow.
            activityChatters = null;
            return;
        }

        activityChatters ??= [];
        foreach (var message in added)
        {
            if (activityChatters.Count >= ChatActivity.MaxChatters)
            {
                break;
            }

            activityChatters.Add(message.SenderId);
        }
    }
}
