using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>What the directory says about live channels: live counts per category (thumbnails: <see cref="ChannelThumbnailTests"/>).</summary>
[Collection(StreamsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
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
