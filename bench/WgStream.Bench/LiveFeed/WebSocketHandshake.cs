using System.Security.Cryptography;
using System.Text;

namespace WgStream.Bench.LiveFeed;

/// <summary>The HTTP/1.1 upgrade request a client sends, and the check of the server's 101 answer.</summary>
public sealed class WebSocketHandshake
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private readonly string expectedAccept;
    private readonly string? subProtocol;

    public WebSocketHandshake(string host, string pathAndQuery, string? subProtocol)
    {
        this.subProtocol = subProtocol;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        expectedAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        var request = new StringBuilder()
            .Append("GET ").Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(host).Append("\r\n")
            .Append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
            .Append("Sec-WebSocket-Key: ").Append(key).Append("\r\n");
        if (subProtocol is not null)
        {
            request.Append("Sec-WebSocket-Protocol: ").Append(subProtocol).Append("\r\n");
        }

        Request = Encoding.ASCII.GetBytes(request.Append("\r\n").ToString());
    }

    public byte[] Request { get; }

    /// <summary>
    /// Where the response's header block ends in <paramref name="received"/> (the frames start
    /// there), or -1 while it is incomplete. Throws when the server refused the upgrade.
    /// </summary>
    public int Accept(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf(HeaderEnd);
        if (end < 0)
        {
            return -1;
        }

        var lines = Encoding.ASCII.GetString(received[..end]).Split("\r\n");
        if (!lines[0].StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new IOException($"WebSocket upgrade refused: {lines[0]}");
        }

        string? accept = null, protocol = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Sec-WebSocket-Accept", StringComparison.OrdinalIgnoreCase))
            {
                accept = value;
            }
            else if (name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))
            {
                protocol = value;
            }
        }

        if (accept != expectedAccept)
        {
            throw new IOException("WebSocket upgrade answered with the wrong Sec-WebSocket-Accept.");
        }

        if (subProtocol is not null && protocol != subProtocol)
        {
            throw new IOException($"WebSocket upgrade chose subprotocol '{protocol}', not '{subProtocol}'.");
        }

        return end + HeaderEnd.Length;
    }
}
