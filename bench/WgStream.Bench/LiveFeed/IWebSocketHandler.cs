namespace WgStream.Bench.LiveFeed;

/// <summary>What a <see cref="WebSocketConnection"/> hands its complete text messages to.</summary>
public interface IWebSocketHandler
{
    /// <summary>
    /// Called on the connection's receive loop, one message at a time, with the message's bytes
    /// (valid only during the call: they live in the connection's receive buffer) and the
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp of the read that completed it.
    /// </summary>
    void OnText(ReadOnlySpan<byte> message, long arrived);
}
