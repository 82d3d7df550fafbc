namespace WgStream.Bench.LiveFeed;

/// <summary>Looks at every message a viewer's connection receives, before the protocol does.</summary>
public interface IFeedSink
{
    /// <summary>
    /// True when <paramref name="message"/> was a feed event (and has been counted); false hands it
    /// to the protocol (acknowledgements, errors, pings). This is the only per-event work the
    /// load generator does, so it must stay a byte search, not a parse.
    /// </summary>
    bool TryScan(ReadOnlySpan<byte> message, long arrived);
}
