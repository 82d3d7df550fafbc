using WgStream.Tests.Infrastructure;
using WgStream.Tests.Realtime;

namespace WgStream.Tests.Streams;

/// <summary>Who counts as a viewer: a signed-in session once, an anonymous socket once, however many subscriptions each holds.</summary>
[Collection(StreamsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ViewerCountingTests(StreamsFixture fixture)
{
    [Fact]
    public async Task One_socket_with_two_watch_subscriptions_and_one_session_on_two_sockets_each_count_as_one_viewer()
    {
        var client = fixture.CreateClient();
        var owner = await client.RegisterAsync();
        await fixture.GoLiveAsync(await fixture.StreamKeyAsync(client), clientId: 71);
        var viewer = await fixture.CreateClient().RegisterAsync();
        const string watch = "subscription($c: ID!) { watchStream(channelId: $c) { viewerCount } }";

        await using var anonymous = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await anonymous.InitAsync();
        await anonymous.SendAsync(new { id = "1", type = "subscribe", payload = new { query = watch, variables = new { c = owner.Id } } });
        await anonymous.SendAsync(new { id = "2", type = "subscribe", payload = new { query = watch, variables = new { c = owner.Id } } });
        await LiveFeedTests.PingAsync(anonymous);
        Assert.Equal(1, await ViewersAsync(owner.Username, 1));

        await using var first = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await first.InitAsync(viewer.Token);
        await using var second = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await second.InitAsync(viewer.Token);
        foreach (var socket in new[] { first, second })
        {
            await socket.SendAsync(new { id = "w", type = "subscribe", payload = new { query = watch, variables = new { c = owner.Id } } });
            await LiveFeedTests.PingAsync(socket);
        }

        // The anonymous socket and the session: two viewers, not five.
        Assert.Equal(2, await ViewersAsync(owner.Username, 2));

        // The session stays counted until its last socket leaves.
        await first.SendAsync(new { id = "w", type = "complete" });
        await LiveFeedTests.PingAsync(first);
        Assert.Equal(2, await ViewersAsync(owner.Username, 2));
        await second.SendAsync(new { id = "w", type = "complete" });
        await LiveFeedTests.PingAsync(second);
        Assert.Equal(1, await ViewersAsync(owner.Username, 1));
    }

    private async Task<int> ViewersAsync(string username, int expected)
    {
        // Reports reach the broadcaster grain asynchronously: wait briefly for the expected figure, then report what is there.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var count = -1;
        while (DateTime.UtcNow < deadline)
        {
            count = (await fixture.CreateClient().DataAsync("query($u: String!) { channel(username: $u) { viewerCount } }", new { u = username }))
                .GetProperty("channel").GetProperty("viewerCount").GetInt32();
            if (count == expected)
            {
                return count;
            }

            await Task.Delay(100);
        }

        return count;
    }
}
