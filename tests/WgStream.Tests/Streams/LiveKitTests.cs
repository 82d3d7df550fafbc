using System.Collections.Concurrent;
using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>
/// The Api with <c>Streams:Provider = LiveKit</c>, pointed at <see cref="FakeLiveKit"/>: a local HTTP
/// server standing in for LiveKit's Twirp API that checks what it is sent.
/// </summary>
public sealed class LiveKitFixture : ApiFixture, IAsyncLifetime
{
    public const string ApiKey = "APItestkey";

    public string ApiSecret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(33));

    public FakeLiveKit LiveKit { get; } = new();

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WG_Streams__Provider"] = "LiveKit",
        ["WG_LiveKit__Url"] = LiveKit.Url,
        ["WG_LiveKit__ApiKey"] = ApiKey,
        ["WG_LiveKit__ApiSecret"] = ApiSecret,
    };

    public new Task InitializeAsync() => base.InitializeAsync();

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        LiveKit.Dispose();
    }

    /// <summary>Signs like LiveKit does: an HS256 JWT from the API key with the body's base64 SHA-256 as <c>sha256</c>.</summary>
    public string SignWebhook(string body, string? secret = null, string issuer = ApiKey, DateTime? expires = null)
    {
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(
            issuer: issuer,
            claims: [new Claim("sha256", Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body))))],
            notBefore: now.AddMinutes(-10),
            expires: expires ?? now.AddMinutes(5),
            signingCredentials: new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret ?? ApiSecret)), SecurityAlgorithms.HmacSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    public async Task<HttpStatusCode> PostWebhookAsync(string body, string? authorization)
    {
        using var http = new HttpClient { BaseAddress = Api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/livekit") { Content = new StringContent(body, Encoding.UTF8, "application/webhook+json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Validates a token the Api made, with the shared secret, and returns its payload.</summary>
    public JwtPayload Validate(string token)
    {
        new JwtSecurityTokenHandler { MapInboundClaims = false }.ValidateToken(token, new TokenValidationParameters
        {
            ValidIssuer = ApiKey,
            ValidateAudience = false,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ApiSecret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        }, out var validated);
        return ((JwtSecurityToken)validated).Payload;
    }
}

[CollectionDefinition(Name)]
public sealed class LiveKitCollection : ICollectionFixture<LiveKitFixture>
{
    public const string Name = "LiveKit";
}

/// <summary>Answers Twirp CreateIngress like a LiveKit server (proto field names), keeping every request.</summary>
public sealed class FakeLiveKit : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();

    public FakeLiveKit()
    {
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _ = ServeAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<(string Method, string Path, string? Authorization, string ContentType, string Body)> Requests { get; } = new();

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue((context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], context.Request.ContentType ?? string.Empty, body));
            var response = context.Request.Url.AbsolutePath == "/twirp/livekit.Ingress/CreateIngress"
                ? CreateIngress(body)
                : (404, """{"code":"bad_route","msg":"no handler"}""");
            context.Response.StatusCode = response.Item1;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(response.Item2);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static (int, string) CreateIngress(string body)
    {
        var request = JsonDocument.Parse(body).RootElement;
        var whip = request.GetProperty("inputType").GetString() == "WHIP_INPUT";
        return (200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ingress_id"] = $"IN_{Guid.NewGuid():N}"[..15],
            ["name"] = request.GetProperty("name").GetString()!,
            ["stream_key"] = whip ? string.Empty : "lk-stream-key-123",
            ["url"] = whip ? "http://127.0.0.1:8080/w" : "rtmp://127.0.0.1:1936/x",
            ["input_type"] = whip ? "WHIP_INPUT" : "RTMP_INPUT",
            ["room_name"] = request.GetProperty("roomName").GetString()!,
            ["participant_identity"] = request.GetProperty("participantIdentity").GetString()!,
        }));
    }
}

[Collection(LiveKitCollection.Name)]
public sealed class LiveKitTests(LiveKitFixture fixture)
{
    [Fact]
    public async Task Create_ingress_calls_twirp_with_an_ingress_admin_token()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        const string create = "mutation($t: IngressType!) { createIngress(type: $t) { ingressId url streamKey type roomName } }";

        var rtmp = (await owner.DataAsync(create, new { t = "RTMP" })).GetProperty("createIngress");
        Assert.Equal("rtmp://127.0.0.1:1936/x", rtmp.GetProperty("url").GetString());
        Assert.Equal("lk-stream-key-123", rtmp.GetProperty("streamKey").GetString());
        Assert.Equal(account.Id.ToString("N"), rtmp.GetProperty("roomName").GetString());
        Assert.StartsWith("IN_", rtmp.GetProperty("ingressId").GetString(), StringComparison.Ordinal);

        var call = fixture.LiveKit.Requests.Last(r => r.Body.Contains(account.Id.ToString("N"), StringComparison.Ordinal));
        Assert.Equal("POST", call.Method);
        Assert.Equal("/twirp/livekit.Ingress/CreateIngress", call.Path);
        Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
        Assert.StartsWith("Bearer ", call.Authorization, StringComparison.Ordinal);
        var grant = fixture.Validate(call.Authorization![7..]);
        Assert.True(JsonDocument.Parse(JsonSerializer.Serialize(grant["video"])).RootElement.GetProperty("ingressAdmin").GetBoolean());
        var body = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal("RTMP_INPUT", body.GetProperty("inputType").GetString());
        Assert.Equal(account.Id.ToString("N"), body.GetProperty("roomName").GetString());
        Assert.Equal($"broadcaster-{account.Id:N}", body.GetProperty("participantIdentity").GetString());

        var whip = (await owner.DataAsync(create, new { t = "WHIP" })).GetProperty("createIngress");
        Assert.Equal("WHIP", whip.GetProperty("type").GetString());
        Assert.Equal("WHIP_INPUT", JsonDocument.Parse(fixture.LiveKit.Requests.Last().Body).RootElement.GetProperty("inputType").GetString());

        (await fixture.CreateClient().SendAsync(create, new { t = "RTMP" })).AssertError("UNAUTHENTICATED");
        var settings = (await owner.DataAsync("{ streamSettings { provider ingestUrl streamKey } }")).GetProperty("streamSettings");
        Assert.Equal("LIVEKIT", settings.GetProperty("provider").GetString());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("streamKey").ValueKind);
    }

    [Fact]
    public async Task Viewer_tokens_are_subscribe_only_hs256_tokens_for_the_channels_room()
    {
        var streamer = await fixture.CreateClient().RegisterAsync();
        const string query = "query($c: ID!) { streamViewerToken(channelId: $c) { url token identity room expiresAt } }";

        var anonymous = (await fixture.CreateClient().DataAsync(query, new { c = streamer.Id })).GetProperty("streamViewerToken");
        Assert.Equal($"ws://127.0.0.1:{fixture.LiveKit.Port}", anonymous.GetProperty("url").GetString());
        var payload = fixture.Validate(anonymous.GetProperty("token").GetString()!);
        Assert.Equal(LiveKitFixture.ApiKey, payload.Iss);
        Assert.StartsWith("viewer-", payload.Sub, StringComparison.Ordinal);
        Assert.Equal(anonymous.GetProperty("identity").GetString(), payload.Sub);
        var video = JsonDocument.Parse(JsonSerializer.Serialize(payload["video"])).RootElement;
        Assert.Equal(streamer.Id.ToString("N"), video.GetProperty("room").GetString());
        Assert.True(video.GetProperty("roomJoin").GetBoolean());
        Assert.True(video.GetProperty("canSubscribe").GetBoolean());
        Assert.False(video.GetProperty("canPublish").GetBoolean());
        Assert.InRange(payload.Expiration!.Value - payload.NotBefore!.Value, 6 * 3600 - 5, 6 * 3600 + 5);

        var viewer = fixture.CreateClient();
        var me = await viewer.RegisterAsync();
        var signedIn = (await viewer.DataAsync(query, new { c = streamer.Id })).GetProperty("streamViewerToken");
        Assert.Equal($"user-{me.Id:N}", fixture.Validate(signedIn.GetProperty("token").GetString()!).Sub);

        (await viewer.SendAsync(query, new { c = Guid.NewGuid() })).AssertError("NOT_FOUND");
    }

    [Fact]
    public async Task Signed_ingress_webhooks_take_the_channel_live_and_offline_and_forgeries_are_refused()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        await using var status = await Subscription.StartAsync(fixture.WebSocketUri,
            "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind endReason stream { isLive playbackUrl } } }", new { c = account.Id });
        string Event(string kind) => JsonSerializer.Serialize(new
        {
            @event = kind,
            id = $"EV_{Guid.NewGuid():N}",
            createdAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ingressInfo = new { ingressId = "IN_webhook1", inputType = "RTMP_INPUT", roomName = account.Id.ToString("N"), state = new { status = "ENDPOINT_PUBLISHING" } },
        });

        var started = Event("ingress_started");
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started, fixture.SignWebhook(started, secret: Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)))));
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started, fixture.SignWebhook(started, issuer: "someone-else")));
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started, fixture.SignWebhook(started, expires: DateTime.UtcNow.AddMinutes(-5))));
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started.Replace("IN_webhook1", "IN_webhook2", StringComparison.Ordinal), fixture.SignWebhook(started)));
        Assert.False(await IsLiveAsync(account.Username));

        Assert.Equal(HttpStatusCode.OK, await fixture.PostWebhookAsync(started, fixture.SignWebhook(started)));
        var live = (await status.NextAsync(d => Kind(d) == "LIVE", TimeSpan.FromSeconds(10))).GetProperty("streamStatusChanged");
        Assert.True(live.GetProperty("stream").GetProperty("isLive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, live.GetProperty("stream").GetProperty("playbackUrl").ValueKind);
        Assert.True(await IsLiveAsync(account.Username));

        var ended = Event("ingress_ended");
        Assert.Equal(HttpStatusCode.OK, await fixture.PostWebhookAsync(ended, "Bearer " + fixture.SignWebhook(ended)));
        var offline = (await status.NextAsync(d => Kind(d) == "OFFLINE", TimeSpan.FromSeconds(10))).GetProperty("streamStatusChanged");
        Assert.Equal("INGRESS_ENDED", offline.GetProperty("endReason").GetString());
        Assert.False(await IsLiveAsync(account.Username));
    }

    private async Task<bool> IsLiveAsync(string username) =>
        (await fixture.CreateClient().DataAsync($"{{ channel(username: \"{username}\") {{ isLive }} }}")).GetProperty("channel").GetProperty("isLive").GetBoolean();

    private static string? Kind(JsonElement data) => data.GetProperty("streamStatusChanged").GetProperty("kind").GetString();
}
