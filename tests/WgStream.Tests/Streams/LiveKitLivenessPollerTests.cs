using System.Net;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>
/// The Api polls <see cref="FakeLiveKit"/> (every 200 ms in the fixture) and puts channels live or
/// offline where no webhook told it, as when LiveKit's webhooks fail to fire.
/// </summary>
[Collection(LiveKitCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class LiveKitLivenessPollerTests(LiveKitFixture fixture)
{
    private const string StatusQuery = "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind endReason stream { isLive ingest } } }";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_broadcast_whose_room_closed_without_a_webhook_is_ended()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        var room = account.Id.ToString("N");
        await using var status = await Subscription.StartAsync(fixture.WebSocketUri, StatusQuery, new { c = account.Id });
        fixture.LiveKit.Publish(room, "IN_gone1");
        Assert.Equal(HttpStatusCode.OK, await fixture.PostSignedWebhookAsync(LiveKitFixture.IngressEvent("ingress_started", "IN_gone1", account.Id)));
        await status.NextAsync(d => Kind(d) == "LIVE", Wait);

        // While LiveKit shows the room with its publisher, polls leave the broadcast alone.
        await PollsSeeingAsync(room, 3);
        Assert.True(await fixture.IsLiveAsync(account.Username));

        // The room goes (the ingress worker died: its state still says publishing) and no ingress_ended comes.
        fixture.LiveKit.CloseRoom(room, ingressStillSaysPublishing: true);
        var offline = (await status.NextAsync(d => Kind(d) == "OFFLINE", Wait)).GetProperty("streamStatusChanged");
        Assert.Equal("INGRESS_ENDED", offline.GetProperty("endReason").GetString());
        Assert.False(await fixture.IsLiveAsync(account.Username));
    }

    [Fact]
    public async Task A_room_with_a_publishing_ingress_and_no_webhook_goes_live_on_that_ingress()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        var room = account.Id.ToString("N");
        await using var status = await Subscription.StartAsync(fixture.WebSocketUri, StatusQuery, new { c = account.Id });
        try
        {
            fixture.LiveKit.Publish(room, "IN_nohook1");
            var live = (await status.NextAsync(d => Kind(d) == "LIVE", Wait)).GetProperty("streamStatusChanged");
            Assert.Equal("LIVE_KIT", live.GetProperty("stream").GetProperty("ingest").GetString());
            Assert.True(await fixture.IsLiveAsync(account.Username));

            // The broadcast runs on that ingress: its ingress_ended webhook ends it (one for another ingress would be ignored).
            Assert.Equal(HttpStatusCode.OK, await fixture.PostSignedWebhookAsync(LiveKitFixture.IngressEvent("ingress_ended", "IN_nohook1", account.Id)));
            var offline = (await status.NextAsync(d => Kind(d) == "OFFLINE", Wait)).GetProperty("streamStatusChanged");
            Assert.Equal("INGRESS_ENDED", offline.GetProperty("endReason").GetString());
        }
        finally
        {
            fixture.LiveKit.CloseRoom(room);
        }
    }

    [Fact]
    public async Task LiveKit_failing_leaves_live_states_alone_and_polling_carries_on()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        var room = account.Id.ToString("N");
        await using var status = await Subscription.StartAsync(fixture.WebSocketUri, StatusQuery, new { c = account.Id });
        fixture.LiveKit.Publish(room, "IN_flaky1");
        Assert.Equal(HttpStatusCode.OK, await fixture.PostSignedWebhookAsync(LiveKitFixture.IngressEvent("ingress_started", "IN_flaky1", account.Id)));
        await status.NextAsync(d => Kind(d) == "LIVE", Wait);

        fixture.LiveKit.FailWith = 500;
        try
        {
            // The room is gone, but LiveKit cannot be asked: nothing is changed on an error.
            fixture.LiveKit.CloseRoom(room);
            var before = fixture.LiveKit.Count(FakeLiveKit.ListIngress);
            await WaitUntilAsync(() => fixture.LiveKit.Count(FakeLiveKit.ListIngress) >= before + 5);
            Assert.True(await fixture.IsLiveAsync(account.Username));
        }
        finally
        {
            fixture.LiveKit.FailWith = null;
        }

        // The loop is still running: once LiveKit answers again, the broadcast is ended.
        await status.NextAsync(d => Kind(d) == "OFFLINE", Wait);
        Assert.False(await fixture.IsLiveAsync(account.Username));
    }

    [Fact]
    public async Task Polls_are_twirp_posts_with_valid_tokens_granting_what_each_call_needs()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        var room = account.Id.ToString("N");
        fixture.LiveKit.Publish(room, "IN_tokens1");
        try
        {
            await PollsSeeingAsync(room, 1);
            var rooms = fixture.LiveKit.Requests.Last(r => r.Path == FakeLiveKit.ListRooms && r.Body.Contains(room, StringComparison.Ordinal));
            var ingress = fixture.LiveKit.Requests.Last(r => r.Path == FakeLiveKit.ListIngress);
            foreach (var call in new[] { rooms, ingress })
            {
                Assert.Equal("POST", call.Method);
                Assert.StartsWith("application/json", call.ContentType, StringComparison.Ordinal);
                Assert.StartsWith("Bearer ", call.Authorization, StringComparison.Ordinal);
            }

            Assert.True(Grant(rooms.Authorization!).GetProperty("roomList").GetBoolean());
            Assert.True(Grant(ingress.Authorization!).GetProperty("ingressAdmin").GetBoolean());
            Assert.Contains(room, JsonDocument.Parse(rooms.Body).RootElement.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        }
        finally
        {
            fixture.LiveKit.CloseRoom(room);
        }
    }

    /// <summary>The <c>video</c> grant of a bearer token, once <see cref="LiveKitFixture.Validate"/> accepts its signature, issuer and algorithm.</summary>
    private JsonElement Grant(string authorization)
    {
        var payload = fixture.Validate(authorization["Bearer ".Length..]);
        Assert.Equal(LiveKitFixture.ApiKey, payload.Iss);
        Assert.True(payload.Expiration > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return JsonDocument.Parse(JsonSerializer.Serialize(payload["video"])).RootElement;
    }

    /// <summary>Waits until <paramref name="count"/> more ListRooms calls have asked about <paramref name="room"/>.</summary>
    private async Task PollsSeeingAsync(string room, int count)
    {
        int Seen() => fixture.LiveKit.Requests.Count(r => r.Path == FakeLiveKit.ListRooms && r.Body.Contains(room, StringComparison.Ordinal));
        var before = Seen();
        await WaitUntilAsync(() => Seen() >= before + count);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The Api did not poll LiveKit in time.");
            await Task.Delay(50);
        }
    }

    private static string? Kind(JsonElement data) => data.GetProperty("streamStatusChanged").GetProperty("kind").GetString();
}
