using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Accounts;

/// <summary>
/// Blocking over the API: what the blocker stops receiving on both chat transports (the real
/// <c>graphql-ws</c> client and the .NET SignalR client) and in history, what everyone else still
/// sees, and the refusals with their codes.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class UserBlockApiTests(ApiFixture fixture)
{
    private const string Block = "mutation($u: ID!) { blockUser(userId: $u) }";
    private const string Unblock = "mutation($u: ID!) { unblockUser(userId: $u) }";
    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id } }";
    private const string Watch = "subscription($c: ID!) { chatMessageAdded(channelId: $c) { text username } }";
    private const string History = "query($c: ID!) { chatMessages(channelId: $c, last: 50) { messages { text } } }";

    [Fact]
    public async Task A_blocked_users_messages_reach_everyone_but_the_blocker_on_both_transports_until_unblocked()
    {
        var owner = fixture.CreateClient();
        var channel = await owner.RegisterAsync();
        var blockerClient = fixture.CreateClient();
        var blocker = await blockerClient.RegisterAsync();
        var pestClient = fixture.CreateClient();
        var pest = await pestClient.RegisterAsync();
        var friend = fixture.CreateClient();
        await friend.RegisterAsync();
        var bystander = await fixture.CreateClient().RegisterAsync();
        await pestClient.DataAsync(Send, new { c = channel.Id, t = "p0 before the block" });
        Assert.True((await blockerClient.DataAsync(Block, new { u = pest.Id })).GetProperty("blockUser").GetBoolean());

        using var blockerWs = Subscribe(blocker.Token, channel.Id, events: 2);
        using var bystanderWs = Subscribe(bystander.Token, channel.Id, events: 4);
        Assert.True((await blockerWs.ReadAsync()).TryGetProperty("ready", out _));
        Assert.True((await bystanderWs.ReadAsync()).TryGetProperty("ready", out _));
        await using var blockerHub = await ConnectAsync(blocker.Token);
        var hubMessages = Listen(blockerHub);
        var joined = await blockerHub.InvokeAsync<JsonElement>("JoinChannel", channel.Id.ToString());
        Assert.Empty(joined.GetProperty("messages").EnumerateArray()); // p0 is in the history, not for the blocker

        // Interleaved: the blocker's feed skips the pest's lines and keeps the order of the rest.
        foreach (var (client, text) in new[] { (pestClient, "p1"), (friend, "f1"), (pestClient, "p2"), (friend, "f2") })
        {
            await client.DataAsync(Send, new { c = channel.Id, t = text });
        }

        Assert.Equal(["f1", "f2"], await TextsAsync(blockerWs, 2));
        Assert.Equal(["p1", "f1", "p2", "f2"], await TextsAsync(bystanderWs, 4));
        Assert.Equal("f1", await hubMessages.Reader.ReadAsync(Timeout()));
        Assert.Equal("f2", await hubMessages.Reader.ReadAsync(Timeout()));
        Assert.Equal(["f1", "f2"], await HistoryAsync(blockerClient, channel.Id));
        Assert.Equal(["p0 before the block", "p1", "f1", "p2", "f2"], await HistoryAsync(friend, channel.Id));

        // The pest learns nothing: their sends succeed, the room shows them to others.
        Assert.False((await blockerClient.DataAsync(Block, new { u = pest.Id })).GetProperty("blockUser").GetBoolean());
        Assert.True((await blockerClient.DataAsync(Unblock, new { u = pest.Id })).GetProperty("unblockUser").GetBoolean());
        Assert.False((await blockerClient.DataAsync(Unblock, new { u = pest.Id })).GetProperty("unblockUser").GetBoolean());

        // The unblock reaches this node through the cluster's stream within moments; a line sent
        // once it has arrives, while nothing the pest said before came through meanwhile.
        string? received = null;
        for (var attempt = 0; attempt < 20 && received is null; attempt++)
        {
            await pestClient.DataAsync(Send, new { c = channel.Id, t = $"p3 #{attempt}" });
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            try
            {
                received = await hubMessages.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.StartsWith("p3 #", received, StringComparison.Ordinal);
        Assert.Contains("p1", await HistoryAsync(blockerClient, channel.Id));
    }

    [Fact]
    public async Task Blocking_is_for_signed_in_users_checks_its_input_lists_newest_first_and_stops_follows()
    {
        var blockerClient = fixture.CreateClient();
        var blocker = await blockerClient.RegisterAsync();
        var pestClient = fixture.CreateClient();
        var pest = await pestClient.RegisterAsync();
        var later = await fixture.CreateClient().RegisterAsync();

        (await fixture.CreateClient().SendAsync(Block, new { u = pest.Id })).AssertError("UNAUTHENTICATED");
        (await fixture.CreateClient().SendAsync("{ blockedUsers { edges { node { userId } } } }")).AssertError("UNAUTHENTICATED");
        (await blockerClient.SendAsync(Block, new { u = "not-an-id" })).AssertError("BAD_USER_INPUT");
        (await blockerClient.SendAsync(Block, new { u = blocker.Id })).AssertError("BAD_USER_INPUT");
        (await blockerClient.SendAsync(Block, new { u = Guid.NewGuid() })).AssertError("NOT_FOUND");

        await pestClient.DataAsync("mutation($c: ID!) { follow(channelId: $c) { id } }", new { c = blocker.Id });
        await blockerClient.DataAsync(Block, new { u = pest.Id });
        await blockerClient.DataAsync(Block, new { u = later.Id });
        (await pestClient.SendAsync("mutation($c: ID!) { follow(channelId: $c) { id } }", new { c = blocker.Id })).AssertError("FORBIDDEN");
        var pestSees = (await pestClient.DataAsync("query($n: String!) { channel(username: $n) { followedByMe followerCount } }", new { n = blocker.Username })).GetProperty("channel");
        Assert.False(pestSees.GetProperty("followedByMe").GetBoolean());
        Assert.Equal(0, pestSees.GetProperty("followerCount").GetInt32());

        var list = (await blockerClient.DataAsync("{ blockedUsers(first: 1) { edges { cursor node { userId blockedAt user { username blockedByMe } } } pageInfo { hasNextPage endCursor } } }"))
            .GetProperty("blockedUsers");
        var newest = list.GetProperty("edges")[0].GetProperty("node");
        Assert.Equal((later.Id.ToString(), later.Username, true), (newest.GetProperty("userId").GetString(), newest.GetProperty("user").GetProperty("username").GetString(), newest.GetProperty("user").GetProperty("blockedByMe").GetBoolean()));
        Assert.True(list.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var next = (await blockerClient.DataAsync("query($a: String) { blockedUsers(first: 1, after: $a) { edges { node { userId } } pageInfo { hasNextPage } } }", new { a = list.GetProperty("pageInfo").GetProperty("endCursor").GetString() }))
            .GetProperty("blockedUsers");
        Assert.Equal(pest.Id.ToString(), next.GetProperty("edges")[0].GetProperty("node").GetProperty("userId").GetString());
        Assert.False(next.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        (await blockerClient.SendAsync("{ blockedUsers(first: 0) { edges { cursor } } }")).AssertError("BAD_USER_INPUT");
        (await blockerClient.SendAsync("{ blockedUsers(after: \"forged\") { edges { cursor } } }")).AssertError("BAD_USER_INPUT");

        // Nobody else reads the list, and nobody else sees "blocked by me" for the blocker's blocks.
        Assert.False((await pestClient.DataAsync("query($n: String!) { channel(username: $n) { blockedByMe } }", new { n = later.Username })).GetProperty("channel").GetProperty("blockedByMe").GetBoolean());
        Assert.Empty((await pestClient.DataAsync("{ blockedUsers { edges { cursor } } }")).GetProperty("blockedUsers").GetProperty("edges").EnumerateArray());
    }

    private NodeScript Subscribe(string token, Guid channelId, int events) => NodeScript.Start("graphql-ws-client.mjs", new()
    {
        ["WG_WS_URL"] = fixture.WebSocketUri.ToString(),
        ["WG_TOKEN"] = token,
        ["WG_QUERY"] = Watch,
        ["WG_VARIABLES"] = JsonSerializer.Serialize(new { c = channelId }),
        ["WG_EVENTS"] = events.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static async Task<List<string>> TextsAsync(NodeScript client, int count)
    {
        var texts = new List<string>();
        for (var i = 0; i < count; i++)
        {
            texts.Add((await client.ReadAsync()).GetProperty("event").GetProperty("text").GetString()!);
        }

        Assert.Equal(0, await client.WaitForExitAsync());
        return texts;
    }

    private static async Task<List<string>> HistoryAsync(GraphQLClient client, Guid channelId) =>
        [.. (await client.DataAsync(History, new { c = channelId })).GetProperty("chatMessages").GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!)];

    private async Task<HubConnection> ConnectAsync(string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Api.BaseAddress, "/hubs/chat"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static Channel<string> Listen(HubConnection connection)
    {
        var texts = Channel.CreateUnbounded<string>();
        connection.On<JsonElement>("message", m => texts.Writer.TryWrite(m.GetProperty("text").GetString()!));
        return texts;
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token;
}
