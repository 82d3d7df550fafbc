namespace WgStream.Bench.LiveFeed;

/// <summary>One channel-page viewer's <c>streamStatusChanged</c> feed: when (if ever) the LIVE event arrived.</summary>
public sealed class LiveEventSink : IFeedSink
{
    private static readonly byte[] Next = "\"type\":\"next\""u8.ToArray();
    private static readonly byte[] Feed = "\"streamStatusChanged\""u8.ToArray();
    private static readonly byte[] Live = "\"kind\":\"LIVE\""u8.ToArray();
    private static readonly byte[] Errors = "\"errors\":"u8.ToArray();
    private long liveArrived;
    private long events;

    /// <summary>Stopwatch timestamp of the first LIVE event (0: none yet).</summary>
    public long LiveArrived => Volatile.Read(ref liveArrived);

    /// <summary>Status events of any kind (LIVE, viewer counts, …).</summary>
    public long Events => Volatile.Read(ref events);

    public bool TryScan(ReadOnlySpan<byte> message, long arrived)
    {
        // An error names the field in its path too, and a failed subscribe is answered with a
        // next carrying errors (then complete): only a next without errors is an event.
        if (message.IndexOf(Feed) < 0 || message.IndexOf(Next) < 0 || message.IndexOf(Errors) >= 0)
        {
            return false;
        }

        Volatile.Write(ref events, events + 1);
        if (liveArrived == 0 && message.IndexOf(Live) >= 0)
        {
            Volatile.Write(ref liveArrived, arrived);
        }

        return true;
    }
}
