using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>What the directory says about live channels: their thumbnails, and live counts per category.</summary>
[Collection(StreamsCollection.Name)]
public sealed class DirectoryListingTests(StreamsFixture fixture)
{
    private const string Categories = "{ categories { slug liveChannelCount viewerCount } }";

    [Fact]
    public async Task Categories_count_their_live_channels_and_viewers()
    {
        var before = await CategoryAsync("music");
        var (first, firstKey) = await StreamerAsync("music");
        var (_, secondKey) = await StreamerAsync("music");
        var (_, otherKey) = await StreamerAsync("art");
        await fixture.GoLiveAsync(firstKey, clientId: 41);
        await fixture.GoLiveAsync(secondKey, clientId: 42);
        await fixture.GoLiveAsync(otherKey, clientId: 43);

        var live = await CategoryAsync("music");
        Assert.Equal(before.Live + 2, live.Live);

        // A viewer of one of them is counted once the directory row is written (the flush interval).
        await using var watcher = await Subscription.StartAsync(fixture.WebSocketUri,
            "subscription($c: ID!) { watchStream(channelId: $c) { viewerCount } }", new { c = first.Id });
        await WaitForAsync(async () => (await CategoryAsync("music")).Viewers == before.Viewers + 1);

        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", firstKey, 41))).Dispose();
        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", secondKey, 42))).Dispose();
        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", otherKey, 43))).Dispose();
        Assert.Equal(before, await CategoryAsync("music"));
    }

    [Fact]
    public async Task Live_listings_carry_the_open_broadcasts_thumbnail_and_offline_ones_none()
    {
        var (streamer, key) = await StreamerAsync("art");
        await fixture.GoLiveAsync(key, clientId: 51);
        Assert.Equal(JsonValueKind.Null, (await ListedAsync(streamer)).Live.GetProperty("thumbnailUrl").ValueKind);

        // What the stream grain writes when ffmpeg took a frame (the end-to-end test takes a real one).
        var streamId = await ScalarAsync<Guid>("SELECT stream_id FROM streams WHERE channel_id = @c AND ended_at IS NULL", streamer.Id);
        await ExecuteAsync("UPDATE streams SET thumbnail_url = '/media/thumbnails/first.webp' WHERE stream_id = @c", streamId);
        var (listed, found) = await ListedAsync(streamer);
        Assert.Equal("/media/thumbnails/first.webp", listed.GetProperty("thumbnailUrl").GetString());
        Assert.Equal("/media/thumbnails/first.webp", found.GetProperty("thumbnailUrl").GetString());

        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", key, 51))).Dispose();
        var offline = (await SearchAsync(streamer)).GetProperty("thumbnailUrl");
        Assert.Equal(JsonValueKind.Null, offline.ValueKind);

        // A new broadcast shows its own thumbnail (none yet), not the last one's.
        await fixture.GoLiveAsync(key, clientId: 52);
        Assert.Equal(JsonValueKind.Null, (await ListedAsync(streamer)).Live.GetProperty("thumbnailUrl").ValueKind);
        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", key, 52))).Dispose();
    }

    private async Task<(JsonElement Live, JsonElement Search)> ListedAsync(TestAccount streamer)
    {
        var live = (await fixture.CreateClient().DataAsync("{ liveChannels(first: 50, category: \"art\") { edges { node { id thumbnailUrl } } } }"))
            .GetProperty("liveChannels").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Single(n => n.GetProperty("id").GetString() == streamer.Id.ToString());
        return (live, await SearchAsync(streamer));
    }

    private async Task<JsonElement> SearchAsync(TestAccount streamer) =>
        (await fixture.CreateClient().DataAsync("query($q: String!) { searchChannels(query: $q) { edges { node { id isLive thumbnailUrl } } } }", new { q = streamer.Username }))
            .GetProperty("searchChannels").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Single(n => n.GetProperty("id").GetString() == streamer.Id.ToString());

    private async Task<(int Live, int Viewers)> CategoryAsync(string slug)
    {
        var category = (await fixture.CreateClient().DataAsync(Categories)).GetProperty("categories").EnumerateArray()
            .Single(c => c.GetProperty("slug").GetString() == slug);
        return (category.GetProperty("liveChannelCount").GetInt32(), category.GetProperty("viewerCount").GetInt32());
    }

    private async Task<(TestAccount Account, string Key)> StreamerAsync(string category)
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        await owner.DataAsync("mutation($i: UpdateStreamInput!) { updateStream(input: $i) { category } }", new { i = new { title = "Directory test", category } });
        return (account, await fixture.StreamKeyAsync(owner));
    }

    private async Task<T> ScalarAsync<T>(string sql, Guid id)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("c", id);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql, Guid id)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("c", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 15 s.");
            await Task.Delay(100);
        }
    }
}
