using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Analytics;

/// <summary>
/// Creator analytics over the real Api: the owner reads a broadcast's summary and series, their
/// broadcasts and their last days; nobody else may (FORBIDDEN), signed out is UNAUTHENTICATED,
/// operators may, and bad input has its codes and fields.
/// </summary>
[Collection(AnalyticsApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AnalyticsApiTests(AnalyticsApiFixture fixture)
{
    private const string Broadcast = """
        query($s: ID!) { broadcastAnalytics(streamId: $s) {
            sampleIntervalSeconds
            summary { streamId channelId title live final durationSeconds samples peakViewers averageViewers minutesWatched chatMessages chatters follows newSponsors revenue { amount currency } }
            series { at durationSeconds viewers averageViewers chatMessages chatters follows newSponsors } } }
        """;

    private const string Broadcasts = "query($c: ID!, $first: Int, $after: String, $from: DateTimeOffset, $to: DateTimeOffset) { channelBroadcasts(channelId: $c, first: $first, after: $after, from: $from, to: $to) { edges { cursor node { streamId live chatMessages } } pageInfo { hasNextPage endCursor } } }";

    private const string Overview = "query($c: ID!, $days: Int, $tz: String) { channelAnalytics(channelId: $c, days: $days, timeZone: $tz) { timeZone totals { broadcasts hoursStreamed chatMessages } days { date totals { broadcasts chatMessages } } } }";

    private const string Platform = "{ platformActivity(minutes: 10) { intervalSeconds liveChannelsNow viewersNow points { at liveChannels viewers chatMessagesPerSecond lateHeartbeats fellBack } } }";

    [Fact]
    public async Task Only_the_owner_and_operators_read_a_broadcasts_analytics()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var stranger = fixture.CreateClient();
        await stranger.RegisterAsync();
        var streamId = await BroadcastAsync(owner, account, clientId: 101, ["hello", "gg"]);

        // The owner: the summary, and a series whose spans add up to what was sent.
        var analytics = (await owner.DataAsync(Broadcast, new { s = streamId })).GetProperty("broadcastAnalytics");
        var summary = analytics.GetProperty("summary");
        Assert.Equal(2, analytics.GetProperty("sampleIntervalSeconds").GetInt32());
        Assert.Equal(streamId, summary.GetProperty("streamId").GetString());
        Assert.False(summary.GetProperty("live").GetBoolean());
        Assert.True(summary.GetProperty("final").GetBoolean());
        Assert.Equal(2, summary.GetProperty("chatMessages").GetInt32());
        Assert.Equal(1, summary.GetProperty("chatters").GetInt32());
        var series = analytics.GetProperty("series").EnumerateArray().ToList();
        Assert.NotEmpty(series);
        Assert.Equal(summary.GetProperty("samples").GetInt32(), series.Count);
        Assert.Equal(2, series.Sum(p => p.GetProperty("chatMessages").GetInt32()));

        // Anyone else: refused, whichever way they ask.
        var signedOut = fixture.CreateClient();
        foreach (var (query, variables) in new (string, object)[]
        {
            (Broadcast, new { s = streamId }),
            (Broadcasts, new { c = account.Id }),
            (Overview, new { c = account.Id }),
        })
        {
            (await stranger.SendAsync(query, variables)).AssertError("FORBIDDEN");
            (await signedOut.SendAsync(query, variables)).AssertError("UNAUTHENTICATED");
        }

        (await stranger.SendAsync(Platform)).AssertError("FORBIDDEN");
        (await signedOut.SendAsync(Platform)).AssertError("UNAUTHENTICATED");
        (await owner.SendAsync(Platform)).AssertError("FORBIDDEN");

        // An operator (listed, with 2FA) reads the owner's broadcast and the platform's activity.
        var op = fixture.Client(fixture.Operator.Token);
        var seen = (await op.DataAsync(Broadcast, new { s = streamId })).GetProperty("broadcastAnalytics").GetProperty("summary");
        Assert.Equal(2, seen.GetProperty("chatMessages").GetInt32());
        var platform = (await op.DataAsync(Platform)).GetProperty("platformActivity");
        Assert.Equal(2, platform.GetProperty("intervalSeconds").GetInt32());
        Assert.Contains(platform.GetProperty("points").EnumerateArray(), p => p.GetProperty("liveChannels").GetInt32() >= 1);
    }

    [Fact]
    public async Task The_owner_pages_their_broadcasts_and_reads_their_last_days()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var first = await BroadcastAsync(owner, account, clientId: 201, ["one"]);
        var second = await BroadcastAsync(owner, account, clientId: 202, ["two", "three"]);

        var page = (await owner.DataAsync(Broadcasts, new { c = account.Id, first = 1 })).GetProperty("channelBroadcasts");
        Assert.Equal(second, page.GetProperty("edges")[0].GetProperty("node").GetProperty("streamId").GetString());
        Assert.Equal(2, page.GetProperty("edges")[0].GetProperty("node").GetProperty("chatMessages").GetInt32());
        Assert.True(page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var next = (await owner.DataAsync(Broadcasts, new { c = account.Id, first = 1, after = page.GetProperty("pageInfo").GetProperty("endCursor").GetString() }))
            .GetProperty("channelBroadcasts");
        Assert.Equal(first, next.GetProperty("edges")[0].GetProperty("node").GetProperty("streamId").GetString());
        Assert.False(next.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        // A date range that ends before either started has none.
        var empty = (await owner.DataAsync(Broadcasts, new { c = account.Id, from = DateTimeOffset.UtcNow.AddDays(-2), to = DateTimeOffset.UtcNow.AddDays(-1) })).GetProperty("channelBroadcasts");
        Assert.Equal(0, empty.GetProperty("edges").GetArrayLength());

        var overview = (await owner.DataAsync(Overview, new { c = account.Id, days = 30, tz = "Europe/Kyiv" })).GetProperty("channelAnalytics");
        Assert.Equal("Europe/Kyiv", overview.GetProperty("timeZone").GetString());
        Assert.Equal(2, overview.GetProperty("totals").GetProperty("broadcasts").GetInt32());
        Assert.Equal(3, overview.GetProperty("totals").GetProperty("chatMessages").GetInt32());
        var days = overview.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(30, days.Count);
        Assert.Equal(2, days[^1].GetProperty("totals").GetProperty("broadcasts").GetInt32());
        Assert.All(days.SkipLast(1), d => Assert.Equal(0, d.GetProperty("totals").GetProperty("broadcasts").GetInt32()));
    }

    [Fact]
    public async Task Bad_input_has_stable_codes_and_fields()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        (await owner.SendAsync(Broadcast, new { s = Guid.NewGuid() })).AssertError("NOT_FOUND");
        AssertField(await owner.SendAsync(Broadcast, new { s = "not-an-id" }), "streamId");
        AssertField(await owner.SendAsync(Broadcasts, new { c = account.Id, first = 0 }), "first");
        AssertField(await owner.SendAsync(Broadcasts, new { c = account.Id, first = 51 }), "first");
        AssertField(await owner.SendAsync(Broadcasts, new { c = account.Id, after = "bm90IG91cnM" }), "after");
        AssertField(await owner.SendAsync(Broadcasts, new { c = account.Id, from = DateTimeOffset.UtcNow, to = DateTimeOffset.UtcNow.AddDays(-1) }), "to");
        AssertField(await owner.SendAsync(Overview, new { c = account.Id, days = 0 }), "days");
        AssertField(await owner.SendAsync(Overview, new { c = account.Id, days = 401 }), "days");
        AssertField(await owner.SendAsync(Overview, new { c = account.Id, tz = "Mars/Olympus_Mons" }), "timeZone");
        var streamId = await BroadcastAsync(owner, account, clientId: 301, []);
        AssertField(await owner.SendAsync("query($s: ID!) { broadcastAnalytics(streamId: $s) { series(maxPoints: 0) { at } } }", new { s = streamId }), "maxPoints");
        AssertField(await owner.SendAsync("query($s: ID!) { broadcastAnalytics(streamId: $s) { series(maxPoints: 2001) { at } } }", new { s = streamId }), "maxPoints");
        AssertField(await fixture.Client(fixture.Operator.Token).SendAsync("{ platformActivity(minutes: 0) { intervalSeconds } }"), "minutes");
    }

    /// <summary>Goes live through the ingest callback, sends the chat lines, waits for a sample, ends, and waits for its figures to be final (the last sample written).</summary>
    private async Task<string> BroadcastAsync(GraphQLClient owner, TestAccount account, int clientId, string[] chat)
    {
        var key = (await owner.DataAsync("{ streamSettings { streamKey } }")).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;
        await fixture.IngestAsync("publish", key, clientId);
        var streamId = (await owner.DataAsync("{ streamSettings { liveStream { id } } }")).GetProperty("streamSettings").GetProperty("liveStream").GetProperty("id").GetString()!;
        foreach (var line in chat)
        {
            await owner.DataAsync("mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { seq } }", new { c = account.Id, t = line });
        }

        await DriftTestKit.EventuallyAsync(async () => (await Summary(owner, streamId)).GetProperty("samples").GetInt32() >= 1, "No sample was written.");
        await fixture.IngestAsync("publish_done", key, clientId);
        await DriftTestKit.EventuallyAsync(
            async () => await Summary(owner, streamId) is var s && s.GetProperty("final").GetBoolean() && s.GetProperty("chatMessages").GetInt32() == chat.Length,
            "The broadcast's figures did not become final with its chat counted.");
        return streamId;
    }

    private static async Task<JsonElement> Summary(GraphQLClient owner, string streamId) =>
        (await owner.DataAsync(Broadcast, new { s = streamId })).GetProperty("broadcastAnalytics").GetProperty("summary");

    private static void AssertField(GraphQLResponse response, string field)
    {
        response.AssertError("BAD_USER_INPUT");
        Assert.Equal(field, response.FirstError.GetProperty("extensions").GetProperty("field").GetString());
    }
}
