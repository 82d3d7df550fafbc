namespace WgStream.Bench.LiveFeed;

/// <summary>A viewer's connection, whichever protocol it speaks.</summary>
public interface IFeedClient
{
    WebSocketConnection Connection { get; }

    /// <summary>What the server said when it ended the subscription or connection; null while it has not.</summary>
    string? Ended { get; }
}
