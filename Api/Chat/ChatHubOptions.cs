namespace WgStream.Api.Chat;

/// <summary>Bound from the <c>ChatHub</c> section: how far behind a SignalR chat connection may fall, and how long it may take to say hello.</summary>
public sealed class ChatHubOptions
{
    public const string Section = "ChatHub";

    /// <summary>Writes that may wait for one connection; past this it is disconnected.</summary>
    public int MaxPendingSends { get; set; } = 1000;

    /// <summary>How long the oldest waiting write may wait (the client stopped reading); past this the connection is disconnected.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// From the WebSocket upgrade to the SignalR handshake message. A browser sends it at once;
    /// SignalR's own 15 s would let an anonymous socket that never says hello (or sends a frame
    /// that never completes) hold its connection for 20 s with the close timeout.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
