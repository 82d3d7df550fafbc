namespace WgStream.Grains.Chat;

/// <summary>
/// When each sender of one room sent lately: their messages within the flood limit's window, and
/// their last accepted message for slow mode (which may be far longer than that window). In memory
/// only: a room that moves to another silo starts every sender afresh.
/// </summary>
public sealed class ChatSendLog
{
    private readonly Dictionary<Guid, Queue<DateTimeOffset>> sendTimes = [];

    /// <summary>Each sender's last accepted message, for slow mode, which may be far longer than the flood window.</summary>
    private readonly Dictionary<Guid, DateTimeOffset> lastSent = [];

    /// <summary>The sender's messages within <paramref name="window"/> before <paramref name="now"/> (older ones are dropped here).</summary>
    public SendWindow Window(Guid senderId, DateTimeOffset now, TimeSpan window)
    {
        if (!sendTimes.TryGetValue(senderId, out var times))
        {
            return SendWindow.Empty;
        }

        while (times.Count > 0 && times.Peek() <= now - window)
        {
            times.Dequeue();
        }

        return times.Count == 0 ? SendWindow.Empty : new SendWindow(times.Count, times.Peek());
    }

    /// <summary>The sender's last accepted message, or null.</summary>
    public DateTimeOffset? LastSent(Guid senderId) => lastSent.TryGetValue(senderId, out var last) ? last : null;

    /// <summary>Counts a message against the flood limit and slow mode.</summary>
    public void Record(Guid senderId, DateTimeOffset now, TimeSpan window, TimeSpan longestSlowMode)
    {
        if (sendTimes.Count > 10_000)
        {
            // Senders quiet for a whole window have nothing left to limit: forget them.
            foreach (var quiet in sendTimes.Where(kv => kv.Value.Count == 0 || kv.Value.Last() <= now - window).Select(kv => kv.Key).ToList())
            {
                sendTimes.Remove(quiet);
                if (lastSent.TryGetValue(quiet, out var last) && last <= now - longestSlowMode)
                {
                    lastSent.Remove(quiet);
                }
            }
        }

        if (!sendTimes.TryGetValue(senderId, out var times))
        {
            sendTimes[senderId] = times = new Queue<DateTimeOffset>();
        }

        times.Enqueue(now);
        lastSent[senderId] = now;
    }
}
