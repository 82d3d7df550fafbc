using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>
/// The newest visible messages of one room, oldest first, kept in memory so that joining viewers,
/// retries and replies to what was just said cost no read of <c>chat_messages</c>.
/// </summary>
public sealed class RecentMessages
{
    private readonly LinkedList<ChatMessage> messages = new();

    public int Count => messages.Count;

    /// <summary>
    /// Whether these are every visible message of the room. Bans and deletions make the list shorter
    /// than the history size without making this true: older messages may be in the table.
    /// </summary>
    public bool HoldsAll { get; private set; }

    /// <summary>The newest messages as read from the table on activation; <paramref name="hasMore"/> when older ones exist.</summary>
    public void Load(IEnumerable<ChatMessage> newest, bool hasMore)
    {
        foreach (var message in newest)
        {
            messages.AddLast(message);
        }

        HoldsAll = !hasMore;
    }

    /// <summary>A message just stored, as the newest; <see cref="Trim"/> after a batch of them.</summary>
    public void Add(ChatMessage message) => messages.AddLast(message);

    /// <summary>Lets the oldest go once there are more than <paramref name="historySize"/>.</summary>
    public void Trim(int historySize)
    {
        while (messages.Count > historySize)
        {
            messages.RemoveFirst();
            HoldsAll = false;
        }
    }

    /// <summary>A message by id, newest first: what is looked for (a retry, a reply's parent) was mostly sent moments ago.</summary>
    public ChatMessage? Find(Guid messageId)
    {
        for (var node = messages.Last; node is not null; node = node.Previous)
        {
            if (node.Value.Id == messageId)
            {
                return node.Value;
            }
        }

        return null;
    }

    /// <summary>Takes a deleted message out; the message, or null when it is not among these.</summary>
    public ChatMessage? Remove(Guid messageId)
    {
        var node = messages.First;
        while (node is not null && node.Value.Id != messageId)
        {
            node = node.Next;
        }

        if (node is null)
        {
            return null;
        }

        messages.Remove(node);
        return node.Value;
    }

    /// <summary>Takes out everything a banned or timed-out sender said.</summary>
    public void RemoveFrom(Guid senderId)
    {
        for (var node = messages.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.SenderId == senderId)
            {
                messages.Remove(node);
            }

            node = next;
        }
    }

    /// <summary>A clear of the room: nothing before it is visible, so what is here (nothing) is all there is.</summary>
    public void Clear()
    {
        messages.Clear();
        HoldsAll = true;
    }

    /// <summary>Shows a sender's new name and colour on what they said (their account was renamed or erased).</summary>
    public void Rename(Guid senderId, string username, string color)
    {
        for (var node = messages.First; node is not null; node = node.Next)
        {
            if (node.Value.SenderId == senderId)
            {
                node.Value = node.Value with { Username = username, Color = color };
            }
        }
    }

    /// <summary>The newest <paramref name="last"/> messages, oldest first.</summary>
    public List<ChatMessage> Newest(int last) => messages.Skip(Math.Max(0, messages.Count - last)).ToList();
}
