using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WgStream.Tests.Infrastructure.Fuzz;

/// <summary>What the server did with one raw request: its status line and body, or that it only closed.</summary>
public sealed record RawHttpAnswer(int? Status, string Head, string Body, TimeSpan Elapsed)
{
    /// <summary>The server closed (or reset) the connection without a response: fine for a request it cannot frame.</summary>
    public bool ClosedWithoutAnswer => Status is null;
}

/// <summary>
/// Sends bytes that an HTTP client library would refuse to produce (broken framing, bodies shorter
/// than their Content-Length, junk request lines) over a plain socket and reads whatever comes back.
/// </summary>
public static class RawHttpExchange
{
    /// <summary>What is kept of an answer; enough for a status line, headers and an error body.</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    public static async Task<RawHttpAnswer> SendAsync(IPEndPoint server, RawHttpRequest request, TimeSpan limit)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(limit);
        var received = new MemoryStream();
        try
        {
            await socket.ConnectAsync(server, timeout.Token);
            try
            {
                await socket.SendAsync(request.Bytes, SocketFlags.None, timeout.Token);
                if (request.HalfClose)
                {
                    // A body that stops short: the client is done sending, the server must notice.
                    socket.Shutdown(SocketShutdown.Send);
                }
            }
            catch (SocketException)
            {
                // The server may answer and close before it has read everything; what it said still counts.
            }

            var buffer = new byte[8192];
            while (received.Length < MaxAnswerBytes)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
                if (HasWholeAnswer(received))
                {
                    break;
                }
            }
        }
        catch (SocketException)
        {
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            if (received.Length == 0)
            {
                throw new TimeoutException($"No answer within {limit.TotalSeconds:0.#} s to {request.Description}");
            }
        }

        return Parse(Encoding.Latin1.GetString(received.GetBuffer(), 0, (int)received.Length), started.Elapsed);
    }

    /// <summary>Headers and as much body as Content-Length says (or a chunked body's end): the server may keep the connection open.</summary>
    private static bool HasWholeAnswer(MemoryStream received)
    {
        var text = Encoding.Latin1.GetString(received.GetBuffer(), 0, (int)received.Length);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var head = text[..end];
        var body = text.Length - end - 4;
        if (ContentLength(head) is { } length)
        {
            return body >= length;
        }

        return head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase)
            ? text.EndsWith("0\r\n\r\n", StringComparison.Ordinal)
            : false;
    }

    private static long? ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(line.AsSpan("content-length:".Length).Trim(), out var length))
            {
                return length;
            }
        }

        return null;
    }

    private static RawHttpAnswer Parse(string text, TimeSpan elapsed)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var body = end < 0 ? "" : text[(end + 4)..];
        int? status = null;
        var parts = head.Split(' ', 3);
        if (parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && int.TryParse(parts[1], out var code))
        {
            status = code;
        }

        return new RawHttpAnswer(status, head, body, elapsed);
    }
}
