using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

[Collection(LiveKitCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
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

        const string createPath = "/twirp/livekit.Ingress/CreateIngress";
        var call = fixture.LiveKit.Requests.Last(r => r.Path == createPath && r.Body.Contains(account.Id.ToString("N"), StringComparison.Ordinal));
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
        Assert.Equal("WHIP_INPUT", JsonDocument.Parse(fixture.LiveKit.Requests.Last(r => r.Path == createPath).Body).RootElement.GetProperty("inputType").GetString());

        (await fixture.CreateClient().SendAsync(create, new { t = "RTMP" })).AssertError("UNAUTHENTICATED");
        var settings = (await owner.DataAsync("{ streamSettings { provider ingestUrl streamKey } }")).GetProperty("streamSettings");
        Assert.Equal("LIVEKIT", settings.GetProperty("provider").GetString());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("streamKey").ValueKind);
    }

    [Fact]
    public async Task Viewer_tokens_are_subscribe_only_hs256_tokens_for_the_channels_room()
    {
        var streamer = await fixture.CreateClient().RegisterAsync();
        const string query = "query($c: ID!) { streamViewerToken(channelId: $c) { url token identity room broadcaster expiresAt } }";

        var anonymous = (await fixture.CreateClient().DataAsync(query, new { c = streamer.Id })).GetProperty("streamViewerToken");
        Assert.Equal($"ws://127.0.0.1:{fixture.LiveKit.Port}", anonymous.GetProperty("url").GetString());
        var payload = fixture.Validate(anonymous.GetProperty("token").GetString()!);
        Assert.Equal(LiveKitFixture.ApiKey, payload.Iss);
        Assert.StartsWith("viewer-", payload.Sub, StringComparison.Ordinal);
        Assert.Equal(anonymous.GetProperty("identity").GetString(), payload.Sub);
        Assert.Equal($"broadcaster-{streamer.Id:N}", anonymous.GetProperty("broadcaster").GetString());
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
            "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind endReason stream { isLive playbackUrl ingest } } }", new { c = account.Id });
        var room = account.Id.ToString("N");
        string Event(string kind) => LiveKitFixture.IngressEvent(kind, "IN_webhook1", account.Id);

        var started = Event("ingress_started");
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started, fixture.SignWebhook(started, secret: Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)))));
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started, fixture.SignWebhook(started, issuer: "someone-else")));
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started, fixture.SignWebhook(started, expires: DateTime.UtcNow.AddMinutes(-5))));
        Assert.Equal(HttpStatusCode.Unauthorized, await fixture.PostWebhookAsync(started.Replace("IN_webhook1", "IN_webhook2", StringComparison.Ordinal), fixture.SignWebhook(started)));
        Assert.False(await fixture.IsLiveAsync(account.Username));

        // LiveKit agrees (its rooms are polled too): the room is open with the ingress publishing.
        fixture.LiveKit.Publish(room, "IN_webhook1");
        Assert.Equal(HttpStatusCode.OK, await fixture.PostWebhookAsync(started, fixture.SignWebhook(started)));
        var live = (await status.NextAsync(d => Kind(d) == "LIVE", TimeSpan.FromSeconds(10))).GetProperty("streamStatusChanged");
        Assert.True(live.GetProperty("stream").GetProperty("isLive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, live.GetProperty("stream").GetProperty("playbackUrl").ValueKind);
        Assert.Equal("LIVE_KIT", live.GetProperty("stream").GetProperty("ingest").GetString());
        Assert.True(await fixture.IsLiveAsync(account.Username));

        fixture.LiveKit.CloseRoom(room);
        var ended = Event("ingress_ended");
        Assert.Equal(HttpStatusCode.OK, await fixture.PostWebhookAsync(ended, "Bearer " + fixture.SignWebhook(ended)));
        var offline = (await status.NextAsync(d => Kind(d) == "OFFLINE", TimeSpan.FromSeconds(10))).GetProperty("streamStatusChanged");
        Assert.Equal("INGRESS_ENDED", offline.GetProperty("endReason").GetString());
        Assert.False(await fixture.IsLiveAsync(account.Username));
    }

    private static string? Kind(JsonElement data) => data.GetProperty("streamStatusChanged").GetProperty("kind").GetString();
}
