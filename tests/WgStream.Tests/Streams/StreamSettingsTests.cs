using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>Stream settings, keys and the ingest callbacks, driven over GraphQL and HTTP as nginx would.</summary>
[Collection(StreamsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class StreamSettingsTests(StreamsFixture fixture)
{
    private const string Settings = "query($c: ID) { streamSettings(channelId: $c) { provider ingestUrl streamKey title category keyRotatedAt } }";

    [Fact]
    public async Task Stream_settings_and_key_are_the_owners_alone_and_stored_encrypted()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var settings = (await owner.DataAsync(Settings, new { c = (string?)null })).GetProperty("streamSettings");
        var key = settings.GetProperty("streamKey").GetString()!;
        Assert.Equal("NGINX", settings.GetProperty("provider").GetString());
        Assert.Equal(fixture.IngestUrl, settings.GetProperty("ingestUrl").GetString());
        Assert.StartsWith("live_", key, StringComparison.Ordinal);
        Assert.Equal(5 + 43, key.Length); // 32 random bytes, base64url
        Assert.Equal(key, await fixture.StreamKeyAsync(owner));
        Assert.Equal(key, (await owner.DataAsync(Settings, new { c = account.Id })).GetProperty("streamSettings").GetProperty("streamKey").GetString());

        var stranger = fixture.CreateClient();
        await stranger.RegisterAsync();
        (await stranger.SendAsync(Settings, new { c = account.Id })).AssertError("FORBIDDEN");
        (await fixture.CreateClient().SendAsync(Settings, new { c = account.Id })).AssertError("UNAUTHENTICATED");
        (await fixture.CreateClient().SendAsync("mutation { rotateStreamKey { streamKey } }")).AssertError("UNAUTHENTICATED");
        var page = await fixture.CreateClient().SendAsync($"{{ channel(username: \"{account.Username}\") {{ id liveStream {{ id }} }} }}");
        Assert.True(page.Succeeded, page.Body);
        Assert.DoesNotContain(key, page.Body, StringComparison.Ordinal);

        // Only the SHA-256 and an AES-GCM ciphertext are in the database.
        await using (var command = fixture.Database.DataSource.CreateCommand("SELECT key_hash, key_ciphertext FROM stream_keys WHERE channel_id = @id"))
        {
            command.Parameters.AddWithValue("id", account.Id);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), reader.GetString(0));
            var ciphertext = reader.GetFieldValue<byte[]>(1);
            Assert.DoesNotContain(key, Encoding.UTF8.GetString(ciphertext), StringComparison.Ordinal);
            Assert.Equal(1 + 12 + key.Length + 16, ciphertext.Length);
        }

        var rotated = (await owner.DataAsync("mutation { rotateStreamKey { streamKey keyRotatedAt } }")).GetProperty("rotateStreamKey");
        var fresh = rotated.GetProperty("streamKey").GetString()!;
        Assert.NotEqual(key, fresh);
        Assert.Equal(fresh, await fixture.StreamKeyAsync(owner));
        AssertNotLogged(key, fresh);
    }

    [Fact]
    public async Task Rotating_the_key_refuses_the_old_one_at_the_ingest_and_cuts_off_its_encoder()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var old = await fixture.StreamKeyAsync(owner);

        using (var noSecret = await fixture.IngestAsync("publish", StreamsFixture.RtmpForm("publish", old, 1), secret: string.Empty))
        {
            Assert.Equal(HttpStatusCode.Forbidden, noSecret.StatusCode);
        }

        using (var wrongSecret = await fixture.IngestAsync("publish", StreamsFixture.RtmpForm("publish", old, 1), secret: "guess"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongSecret.StatusCode);
        }

        // A valid key is answered with a redirect to the channel id: nginx-rtmp renames the stream to it.
        Assert.Equal(account.Id.ToString("N"), await fixture.GoLiveAsync(old, clientId: 11));
        await using var status = await Subscription.StartAsync(fixture.WebSocketUri,
            "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind endReason } }", new { c = account.Id });

        var fresh = (await owner.DataAsync("mutation { rotateStreamKey { streamKey } }")).GetProperty("rotateStreamKey").GetProperty("streamKey").GetString()!;
        var offline = await status.NextAsync(d => Kind(d) == "OFFLINE", TimeSpan.FromSeconds(10));
        Assert.Equal("KEY_ROTATED", offline.GetProperty("streamStatusChanged").GetProperty("endReason").GetString());

        // The encoder still on the old key: its heartbeat is refused (nginx then drops it), and so is a new publish.
        using (var heartbeat = await fixture.IngestAsync("update", StreamsFixture.RtmpForm("update_publish", old, 11)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, heartbeat.StatusCode);
        }

        using (var again = await fixture.IngestAsync("publish", StreamsFixture.RtmpForm("publish", old, 12)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        }

        Assert.Equal(account.Id.ToString("N"), await fixture.GoLiveAsync(fresh, clientId: 13));
        await status.NextAsync(d => Kind(d) == "LIVE", TimeSpan.FromSeconds(10));

        // A second encoder with the same key while live is refused; heartbeats count only for the live one.
        using (var second = await fixture.IngestAsync("publish", StreamsFixture.RtmpForm("publish", fresh, 14)))
        {
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        }

        using (var other = await fixture.IngestAsync("update", StreamsFixture.RtmpForm("update_publish", fresh, 14)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }

        using (var live = await fixture.IngestAsync("update", StreamsFixture.RtmpForm("update_publish", fresh, 13)))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using (var player = await fixture.IngestAsync("update", StreamsFixture.RtmpForm("update_play", "whatever", 99)))
        {
            Assert.Equal(HttpStatusCode.OK, player.StatusCode);
        }

        // A late "done" from another connection changes nothing; the live one's ends the broadcast.
        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", fresh, 14))).Dispose();
        Assert.True(await IsLiveAsync(account.Username));
        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", fresh, 13))).Dispose();
        var done = await status.NextAsync(d => Kind(d) == "OFFLINE", TimeSpan.FromSeconds(10));
        Assert.Equal("PUBLISHER_STOPPED", done.GetProperty("streamStatusChanged").GetProperty("endReason").GetString());
        Assert.False(await IsLiveAsync(account.Username));
        AssertNotLogged(old, fresh);
    }

    [Fact]
    public async Task Update_stream_checks_title_and_category_and_a_live_stream_follows()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        const string update = "mutation($i: UpdateStreamInput!) { updateStream(input: $i) { title category } }";

        (await owner.SendAsync(update, new { i = new { title = " \u0007 " } })).AssertError("BAD_USER_INPUT");
        (await owner.SendAsync(update, new { i = new { title = new string('x', 141) } })).AssertError("BAD_USER_INPUT");
        var bad = await owner.SendAsync(update, new { i = new { category = "not-a-category" } });
        bad.AssertError("BAD_USER_INPUT");
        Assert.Equal("category", bad.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        (await fixture.CreateClient().SendAsync(update, new { i = new { title = "hi" } })).AssertError("UNAUTHENTICATED");

        var set = (await owner.DataAsync(update, new { i = new { title = "  Speedrun\u0000 night 🎮 ", category = "games" } })).GetProperty("updateStream");
        Assert.Equal("Speedrun night 🎮", set.GetProperty("title").GetString());
        Assert.Equal("games", set.GetProperty("category").GetString());
        var longest = new string('я', 140);
        Assert.Equal(longest, (await owner.DataAsync(update, new { i = new { title = longest } })).GetProperty("updateStream").GetProperty("title").GetString());
        await owner.DataAsync(update, new { i = new { title = "Speedrun night 🎮" } });

        await using var status = await Subscription.StartAsync(fixture.WebSocketUri,
            "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind title category stream { id title isLive playbackUrl } } }", new { c = account.Id });
        var key = await fixture.StreamKeyAsync(owner);
        await fixture.GoLiveAsync(key, clientId: 21);
        var live = (await status.NextAsync(d => Kind(d) == "LIVE", TimeSpan.FromSeconds(10))).GetProperty("streamStatusChanged");
        Assert.Equal("Speedrun night 🎮", live.GetProperty("title").GetString());
        Assert.Equal($"http://127.0.0.1:{fixture.HlsPort}/hls/{account.Id:N}/index.m3u8", live.GetProperty("stream").GetProperty("playbackUrl").GetString());

        await owner.DataAsync(update, new { i = new { title = "Any% now", category = "esports" } });
        var updated = (await status.NextAsync(d => Kind(d) == "UPDATED", TimeSpan.FromSeconds(10))).GetProperty("streamStatusChanged");
        Assert.Equal("Any% now", updated.GetProperty("title").GetString());
        Assert.Equal("esports", updated.GetProperty("category").GetString());
        Assert.Equal("Any% now", updated.GetProperty("stream").GetProperty("title").GetString());

        var listed = (await fixture.CreateClient().DataAsync("{ liveChannels(first: 50, category: \"esports\") { edges { node { id streamTitle categorySlug isLive } } } }"))
            .GetProperty("liveChannels").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Single(n => n.GetProperty("id").GetString() == account.Id.ToString());
        Assert.Equal("Any% now", listed.GetProperty("streamTitle").GetString());

        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", key, 21))).Dispose();
        await status.NextAsync(d => Kind(d) == "OFFLINE", TimeSpan.FromSeconds(10));
        var after = (await fixture.CreateClient().DataAsync("{ liveChannels(first: 50, category: \"esports\") { edges { node { id } } } }")).GetProperty("liveChannels");
        Assert.DoesNotContain(after.GetProperty("edges").EnumerateArray(), e => e.GetProperty("node").GetProperty("id").GetString() == account.Id.ToString());
        AssertNotLogged(key);
    }

    [Fact]
    public async Task Watchers_are_counted_exactly_and_live_channels_sort_by_viewers()
    {
        var (quiet, quietKey) = await StreamerAsync();
        var (busy, busyKey) = await StreamerAsync();
        await fixture.GoLiveAsync(quietKey, clientId: 31);
        await fixture.GoLiveAsync(busyKey, clientId: 32);

        const string watch = "subscription($c: ID!) { watchStream(channelId: $c) { kind viewerCount } }";
        await using var a = await Subscription.StartAsync(fixture.WebSocketUri, watch, new { c = busy.Id });
        var b = await Subscription.StartAsync(fixture.WebSocketUri, watch, new { c = busy.Id });
        await using var c = await Subscription.StartAsync(fixture.WebSocketUri, watch, new { c = quiet.Id });
        Assert.Equal(2, await ViewerCountAsync(busy.Username));
        Assert.Equal(1, await ViewerCountAsync(quiet.Username));

        // The directory row is written through shortly after (flush interval), and liveChannels sorts by it.
        var order = await WaitForAsync(async () =>
        {
            var edges = (await fixture.CreateClient().DataAsync("{ liveChannels(first: 50) { edges { node { id viewerCount } } } }"))
                .GetProperty("liveChannels").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
            var ours = edges.Where(n => n.GetProperty("id").GetString() == busy.Id.ToString() || n.GetProperty("id").GetString() == quiet.Id.ToString()).ToList();
            return ours.Count == 2 && ours[0].GetProperty("viewerCount").GetInt32() == 2 && ours[1].GetProperty("viewerCount").GetInt32() == 1 ? ours : null;
        });
        Assert.Equal(busy.Id.ToString(), order[0].GetProperty("id").GetString());
        var counted = await a.NextAsync(d => d.GetProperty("watchStream").GetProperty("viewerCount").GetInt32() == 2, TimeSpan.FromSeconds(10));
        Assert.Equal("UPDATED", counted.GetProperty("watchStream").GetProperty("kind").GetString());

        await b.DisposeAsync();
        Assert.Equal(1, await WaitForAsync(async () => await ViewerCountAsync(busy.Username) is 1 ? 1 : (int?)null));

        var streamId = (await fixture.CreateClient().DataAsync($"{{ channel(username: \"{busy.Username}\") {{ liveStream {{ id viewerCount }} }} }}"))
            .GetProperty("channel").GetProperty("liveStream").GetProperty("id").GetString();
        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", busyKey, 32))).Dispose();
        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", quietKey, 31))).Dispose();
        var ended = (await fixture.CreateClient().DataAsync("query($id: ID!) { stream(id: $id) { isLive peakViewers viewerCount endReason endedAt } }", new { id = streamId }))
            .GetProperty("stream");
        Assert.False(ended.GetProperty("isLive").GetBoolean());
        Assert.Equal(2, ended.GetProperty("peakViewers").GetInt32());
        Assert.Equal(0, ended.GetProperty("viewerCount").GetInt32());
        Assert.Equal(0, await ViewerCountAsync(busy.Username));
    }

    private async Task<(TestAccount Account, string Key)> StreamerAsync()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        return (account, await fixture.StreamKeyAsync(client));
    }

    private async Task<bool> IsLiveAsync(string username) =>
        (await fixture.CreateClient().DataAsync($"{{ channel(username: \"{username}\") {{ isLive }} }}")).GetProperty("channel").GetProperty("isLive").GetBoolean();

    private async Task<int> ViewerCountAsync(string username) =>
        (await fixture.CreateClient().DataAsync($"{{ channel(username: \"{username}\") {{ viewerCount }} }}")).GetProperty("channel").GetProperty("viewerCount").GetInt32();

    private static string? Kind(JsonElement data) => data.GetProperty("streamStatusChanged").GetProperty("kind").GetString();

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, int seconds = 10)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(100);
        }
    }

    private static async Task<int> WaitForAsync(Func<Task<int?>> probe, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(100);
        }
    }

    private void AssertNotLogged(params string[] keys)
    {
        var output = fixture.Api.Output;
        // Request logging is on in this fixture, so the calls that carried these keys went through the logs.
        Assert.Contains("Request starting", output, StringComparison.Ordinal);
        foreach (var key in keys)
        {
            Assert.DoesNotContain(key, output, StringComparison.Ordinal);
        }
    }
}
