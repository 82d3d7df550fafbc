namespace WgStream.Api.Realtime;

/// <summary>
/// The sockets one fan-out event woke up, started together: the event is queued to every socket in
/// order on the fan-out thread, then the sockets that were idle are sent to in a few thread-pool
/// work items (one per core) instead of one per socket, each writing to its share back to back.
/// </summary>
public sealed class SendBatch
{
    private readonly List<WebSocketSender> woken = [];

    internal void Add(WebSocketSender sender) => woken.Add(sender);

    /// <summary>Starts the woken sockets' sends; call once, after the event was queued everywhere.</summary>
    public void Start()
    {
        if (woken.Count == 0)
        {
            return;
        }

        var senders = woken.ToArray();
        woken.Clear();
        var chunk = Math.Max(64, (senders.Length + Environment.ProcessorCount - 1) / Environment.ProcessorCount);
        for (var from = 0; from < senders.Length; from += chunk)
        {
            var part = new ArraySegment<WebSocketSender>(senders, from, Math.Min(chunk, senders.Length - from));
            ThreadPool.UnsafeQueueUserWorkItem(
                static part =>
                {
                    foreach (var sender in part)
                    {
                        sender.StartSending();
                    }
                },
                part,
                preferLocal: false);
        }
    }
}
