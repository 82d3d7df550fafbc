using System.Text;

namespace WgStream.Tests.Infrastructure.Fuzz;

/// <summary>
/// Seeded, reproducible malformed HTTP: every endpoint an outsider can reach, with broken framing
/// (short bodies, bad chunking, conflicting lengths, junk request lines and headers) and with well
/// framed bodies of the wrong kind (bad JSON, bad forms, bad multipart, random bytes). A failing
/// case names its seed and index, so it can be replayed alone.
/// </summary>
public sealed class HttpFuzzCases(int seed, string ingestSecret, string telegramSecret)
{
    private readonly Random random = new(seed);

    private string[] Paths =>
    [
        "/graphql", "/graphql?query=%7B__typename%7D", "/graphql?query=", "/graphql?query={me{id}}&variables=%ZZ",
        "/hubs/chat/negotiate?negotiateVersion=1", "/hubs/chat", "/hubs/chat?id=nope",
        "/media/avatar", "/media/banner", "/media/offline", "/media/%00", "/media/" + new string('a', 300),
        "/webhooks/stripe", "/webhooks/livekit", $"/webhooks/telegram/{telegramSecret}", "/webhooks/telegram/wrong",
        $"/ingest/rtmp/publish?secret={ingestSecret}", $"/ingest/rtmp/publish-done?secret={ingestSecret}",
        $"/ingest/rtmp/update?secret={ingestSecret}", "/ingest/rtmp/publish",
        "/healthz", "/readyz", "/graphiql", "/schema.graphql", "/", "/alice", "/settings/security",
        "/thumbnails/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/%ff%fe", "/" + new string('x', 4000),
        "/graphql/../graphql", "//graphql", "/GRAPHQL", "/graphql%20", "/hubs/chat/negotiate?negotiateVersion=999999999999",
    ];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "PROPFIND", "G E T", "POST\t"];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-16", "application/graphql-response+json",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=XyZ", "multipart/form-data",
        "multipart/form-data; boundary=", "text/plain", "application/octet-stream", ";;;", "application/json; charset=nope",
        "image/png", "",
    ];

    /// <summary>The next <paramref name="count"/> requests, the same ones for the same seed.</summary>
    public IEnumerable<RawHttpRequest> Next(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var kind = random.Next(10);
            yield return kind switch
            {
                < 5 => WellFramed(i),
                5 => ShortBody(i),
                6 => BadChunked(i),
                7 => ConflictingLengths(i),
                8 => BadHeaders(i),
                _ => JunkRequestLine(i),
            };
        }
    }

    private RawHttpRequest WellFramed(int i)
    {
        var method = Pick(Methods[..9]);
        var path = Pick(Paths);
        var type = Pick(ContentTypes);
        var body = method is "GET" or "HEAD" && random.Next(3) > 0 ? [] : Body(type);
        var headers = new StringBuilder();
        if (type.Length > 0)
        {
            headers.Append("Content-Type: ").Append(type).Append("\r\n");
        }

        headers.Append(ExtraHeaders());
        return Build($"#{i} {method} {path} [{type}] {body.Length} B", method, path, headers.ToString(), body, $"Content-Length: {body.Length}\r\n");
    }

    private RawHttpRequest ShortBody(int i)
    {
        var path = Pick(Paths);
        var body = Body(Pick(ContentTypes));
        var claimed = body.Length + 1 + random.Next(100_000);
        return Build($"#{i} POST {path} claims {claimed} B, sends {body.Length} B and stops", "POST", path,
            "Content-Type: application/json\r\n", body, $"Content-Length: {claimed}\r\n", halfClose: true);
    }

    private RawHttpRequest BadChunked(int i)
    {
        var path = Pick(Paths);
        var chunks = random.Next(4) switch
        {
            0 => "zz\r\nhello\r\n0\r\n\r\n", // size not hex
            1 => "5\r\nhelloEXTRA\r\n0\r\n\r\n", // chunk longer than its size
            2 => "FFFFFFFFFFFFFFFF\r\nabc\r\n", // a size beyond any limit
            _ => "3;" + new string('e', 10_000) + "\r\nabc\r\n0\r\n\r\n", // a huge chunk extension
        };
        return new RawHttpRequest($"#{i} POST {path} with broken chunking", Encoding.Latin1.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunks}"), HalfClose: true);
    }

    private RawHttpRequest ConflictingLengths(int i)
    {
        var path = Pick(Paths);
        var framing = random.Next(4) switch
        {
            0 => "Content-Length: 5\r\nContent-Length: 7\r\n",
            1 => "Content-Length: -1\r\n",
            2 => "Content-Length: 99999999999999999999999\r\n",
            _ => "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        };
        return Build($"#{i} POST {path} with {framing.Replace("\r\n", " ", StringComparison.Ordinal)}", "POST", path,
            "Content-Type: application/json\r\n", "{\"q\":1}"u8.ToArray(), framing, halfClose: true);
    }

    private RawHttpRequest BadHeaders(int i)
    {
        var path = Pick(Paths);
        var header = random.Next(7) switch
        {
            0 => "X-Long: " + new string('h', 40_000) + "\r\n",
            1 => "Bad Header Name: x\r\n",
            2 => "X-Ctl: a\u0001b\r\n",
            3 => string.Concat(Enumerable.Range(0, 300).Select(n => $"X-{n}: {n}\r\n")),
            4 => "Cookie: wg_session=" + new string('c', 5000) + "; wg_session=; =;;\r\n",
            5 => "Authorization: Bearer \u00ff\u00fe\u0000\r\n",
            _ => "Origin: null\r\nSec-WebSocket-Key: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 99\r\n",
        };
        return Build($"#{i} GET {path} with a bad header", "GET", path, header, [], "");
    }

    private RawHttpRequest JunkRequestLine(int i)
    {
        var kind = random.Next(6);
        var line = kind switch
        {
            0 => "GET\r\n\r\n",
            1 => "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
            2 => "GET http://evil.example/graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            3 => Encoding.Latin1.GetString(RandomBytes(200)) + "\r\n\r\n",
            4 => "GET /" + new string('p', 70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            _ => "GET / HTTP/1.1\r\n" + "Host: a\r\nHost: b\r\n\r\n",
        };
        return new RawHttpRequest($"#{i} junk request line ({line.Length} B)", Encoding.Latin1.GetBytes(line), HalfClose: true,
            PrescribedStatus: kind == 1 ? (int)System.Net.HttpStatusCode.HttpVersionNotSupported : null);
    }

    private byte[] Body(string type)
    {
        var json = random.Next(14) switch
        {
            0 => "",
            1 => "{\"query\": ",
            2 => new string('[', 5000) + new string(']', 5000),
            3 => "{\"query\":\"{ __typename }\",\"variables\":{\"x\":" + new string('9', 5000) + "}}",
            4 => "{\"query\":\"\\ud800\"}",
            5 => "{\"query\":\"{ me { id } }\",\"variables\":{\"a\":" + new string('{', 300) + "}}",
            6 => "{\"type\":\"checkout.session.completed\",\"data\":{\"object\":null}}",
            7 => "{\"update_id\":1,\"message\":{\"chat\":{\"id\":\"x\"},\"text\":\"/start " + new string('t', 3000) + "\"}}",
            8 => "app=live&name=" + new string('k', 3000) + "&call=update_publish&%%%=&a",
            9 => "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n\u001a\n" + new string('\0', 100) + "\r\n--XyZ--\r\n",
            10 => "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end",
            11 => "{\"query\":\"{ " + new string('a', 20_000) + " }\"}",
            12 => "{\"query\":\"query { __schema { types { name } } }\",\"operationName\":42}",
            _ => null,
        };
        return json is null ? RandomBytes(random.Next(1, 4000)) : Encoding.Latin1.GetBytes(json);
    }

    private string ExtraHeaders() => random.Next(5) switch
    {
        0 => "Accept: text/html\r\n",
        1 => "Accept: application/graphql-response+json;q=0, */*;q=0\r\n",
        2 => "Stripe-Signature: t=1,v1=" + new string('0', 64) + "\r\n",
        3 => "Authorization: Bearer not-a-token\r\nX-Forwarded-For: 1.2.3.4, ::ffff:zz\r\n",
        _ => "",
    };

    private static RawHttpRequest Build(string description, string method, string path, string headers, byte[] body, string framing, bool halfClose = false)
    {
        var head = Encoding.Latin1.GetBytes($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{headers}{framing}\r\n");
        return new RawHttpRequest(description, [.. head, .. body], halfClose);
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
