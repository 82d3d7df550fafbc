using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;

namespace WgStream.Tests.Operations;

/// <summary>
/// A page on another origin cannot act with a visitor's session cookie (sockets, hub, uploads), and
/// every response carries the security headers the web client is served with.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class OriginAndHeadersTests(ApiFixture fixture)
{
    private const string Evil = "http://evil.example";

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_a_policy_that_fits_the_client()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        foreach (var path in new[] { "/healthz", "/graphql?query=%7B__typename%7D", "/no-such-page", "/graphiql" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
            var policy = Header(response, "Content-Security-Policy");
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
            // Served over plain HTTP here: no HSTS, which would pin browsers to a TLS that is not there.
            Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        }

        using var app = await http.GetAsync("/healthz");
        var csp = Header(app, "Content-Security-Policy");
        // hls.js fetches the playlist and segments from the HLS server and plays them from a blob.
        Assert.Contains("connect-src 'self' http://127.0.0.1:8088", csp, StringComparison.Ordinal);
        Assert.Contains("media-src 'self' blob: http://127.0.0.1:8088", csp, StringComparison.Ordinal);
        Assert.Contains("worker-src 'self' blob:", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_socket_with_the_session_cookie_from_another_origin_is_refused()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        var site = $"http://127.0.0.1:{fixture.Api.Port}";

        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(account.Token, Evil));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(account.Token, site));
        // Without the cookie the page is just an anonymous viewer: allowed.
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(null, Evil));
        // Native clients send no Origin at all.
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(account.Token, null));
    }

    [Fact]
    public async Task The_hub_and_uploads_refuse_the_cookie_from_another_origin_too()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.Api.BaseAddress };

        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/chat/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Cookie", $"wg_session={account.Token}");
        negotiate.Headers.Add("Origin", Evil);
        using var refused = await http.SendAsync(negotiate);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("FORBIDDEN", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var upload = new HttpRequestMessage(HttpMethod.Post, "/media/avatar")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png(100, 100)) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "file", "a.png" } },
        };
        upload.Headers.Add("Cookie", $"wg_session={account.Token}");
        upload.Headers.Add("Origin", Evil);
        using var uploaded = await http.SendAsync(upload);
        Assert.Equal(HttpStatusCode.Forbidden, uploaded.StatusCode);

        // The same upload from the site's own page goes through.
        using var own = new HttpRequestMessage(HttpMethod.Post, "/media/avatar")
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png(100, 100)) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "file", "a.png" } },
        };
        own.Headers.Add("Cookie", $"wg_session={account.Token}");
        own.Headers.Add("Origin", $"http://127.0.0.1:{fixture.Api.Port}");
        using var accepted = await http.SendAsync(own);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    private async Task<HttpStatusCode> HandshakeAsync(string? token, string? origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Cookie", $"wg_session={token}");
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            await socket.ConnectAsync(fixture.WebSocketUri, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        return socket.HttpStatusCode;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : "";
}
