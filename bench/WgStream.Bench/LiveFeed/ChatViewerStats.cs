namespace WgStream.Bench.LiveFeed;

/// <summary>
/// One viewer's view of the chat feed. Its receive loop is the only writer; the benchmark reads
/// the counters while it runs, so reads go through <see cref="Volatile"/>.
/// </summary>
public sealed class ChatViewerStats(ChatFeed feed) : IFeedSink
{
    private readonly int[] highest = Enumerable.Repeat(-1, feed.Senders).ToArray();
    private long received;
    private long reordered;
    private long duplicates;
    private long warmUps;
    private long lastArrival;

    public long Received => Volatile.Read(ref received);

    public long Reordered => Volatile.Read(ref reordered);

    public long Duplicates => Volatile.Read(ref duplicates);

    public long WarmUps => Volatile.Read(ref warmUps);

    /// <summary>Stopwatch timestamp of the last counted delivery (0: none).</summary>
    public long LastArrival => Volatile.Read(ref lastArrival);

    public bool TryScan(ReadOnlySpan<byte> message, long arrived)
    {
        if (!FeedMarker.TryFind(message, out var sender, out var seq, out var sent))
        {
            return false;
        }

        if (sender == feed.WarmUpSender)
        {
            Volatile.Write(ref warmUps, warmUps + 1);
            return true;
        }

        if (!feed.Counting || (uint)sender >= (uint)highest.Length)
        {
            return true;
        }

        feed.Latency.Record(arrived - sent);
        ref var last = ref highest[sender];
        if (seq > last)
        {
            last = seq;
        }
        else if (seq == last)
        {
            Volatile.Write(ref duplicates, duplicates + 1);
        }
        else
        {
            Volatile.Write(ref reordered, reordered + 1);
        }

        Volatile.Write(ref lastArrival, arrived);
        Volatile.Write(ref received, received + 1);
        return true;
    }
}
