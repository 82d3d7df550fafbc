using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Chat;

/// <summary>
/// AutoMod over both transports: GraphQL (HTTP for the queue and the decisions, the real
/// <c>graphql-ws</c> client for the live queue) and the SignalR hub, with the codes for bad input.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AutoModApiTests(ApiFixture fixture)
{
    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id text } }";
    private const string Queue = "query($c: ID!) { heldChatMessages(channelId: $c, first: 10) { edges { node { category expiresAt message { id text seq username } } } pageInfo { hasNextPage } } }";
    private const string Approve = "mutation($c: ID!, $m: ID!) { approveHeldChatMessage(channelId: $c, messageId: $m) { id text seq sentAt } }";
    private const string Deny = "mutation($c: ID!, $m: ID!) { denyHeldChatMessage(channelId: $c, messageId: $m) }";
    private const string Watch = "subscription($c: ID!) { heldChatMessageEvents(channelId: $c) { kind messageId byUserId held { category message { text } } } }";

    [Fact]
    public async Task A_held_message_reaches_the_moderators_live_queue_and_is_approved_over_graphql()
    {
        var owner = fixture.CreateClient();
        var channel = await owner.RegisterAsync();
        var viewer = fixture.CreateClient();
        var viewerAccount = await viewer.RegisterAsync();
        var settings = (await owner.DataAsync(
            "mutation($c: ID!) { updateChatSettings(channelId: $c, input: { autoModLevel: HIGH, holdLinks: true }) { autoModLevel holdLinks } }", new { c = channel.Id }))
            .GetProperty("updateChatSettings");
        Assert.Equal(("HIGH", true), (settings.GetProperty("autoModLevel").GetString(), settings.GetProperty("holdLinks").GetBoolean()));

        using var live = NodeScript.Start("graphql-ws-client.mjs", new()
        {
            ["WG_WS_URL"] = fixture.WebSocketUri.ToString(),
            ["WG_TOKEN"] = channel.Token,
            ["WG_QUERY"] = Watch,
            ["WG_VARIABLES"] = JsonSerializer.Serialize(new { c = channel.Id }),
            ["WG_EVENTS"] = "2",
        });
        Assert.True((await live.ReadAsync()).TryGetProperty("ready", out _));

        var held = await viewer.SendAsync(Send, new { c = channel.Id, t = "what an idiot" });
        held.AssertError("HELD");
        Assert.Contains("held for review", held.Body, StringComparison.Ordinal);
        var queued = (await live.ReadAsync()).GetProperty("event");
        Assert.Equal(("HELD", "INSULTS", "what an idiot"), (queued.GetProperty("kind").GetString(), queued.GetProperty("held").GetProperty("category").GetString(), queued.GetProperty("held").GetProperty("message").GetProperty("text").GetString()));
        var messageId = queued.GetProperty("messageId").GetString();

        var node = (await owner.DataAsync(Queue, new { c = channel.Id })).GetProperty("heldChatMessages").GetProperty("edges")[0].GetProperty("node");
        Assert.Equal((messageId, "0", viewerAccount.Username), (node.GetProperty("message").GetProperty("id").GetString(), node.GetProperty("message").GetProperty("seq").GetString(), node.GetProperty("message").GetProperty("username").GetString()));

        (await viewer.SendAsync(Queue, new { c = channel.Id })).AssertError("FORBIDDEN");
        (await fixture.CreateClient().SendAsync(Queue, new { c = channel.Id })).AssertError("UNAUTHENTICATED");
        (await viewer.SendAsync(Approve, new { c = channel.Id, m = messageId })).AssertError("FORBIDDEN");
        (await owner.SendAsync(Approve, new { c = channel.Id, m = "not-an-id" })).AssertError("BAD_USER_INPUT");
        (await owner.SendAsync(Deny, new { c = channel.Id, m = Guid.NewGuid() })).AssertError("NOT_FOUND");

        var posted = (await owner.DataAsync(Approve, new { c = channel.Id, m = messageId })).GetProperty("approveHeldChatMessage");
        Assert.Equal(("what an idiot", messageId), (posted.GetProperty("text").GetString(), posted.GetProperty("id").GetString()));
        var approved = (await live.ReadAsync()).GetProperty("event");
        Assert.Equal(("APPROVED", messageId, channel.Id.ToString()), (approved.GetProperty("kind").GetString(), approved.GetProperty("messageId").GetString(), approved.GetProperty("byUserId").GetString()));
        Assert.Equal(0, await live.WaitForExitAsync());
        (await owner.SendAsync(Deny, new { c = channel.Id, m = messageId })).AssertError("CONFLICT");
        var history = (await viewer.DataAsync("query($c: ID!) { chatMessages(channelId: $c) { messages { text } } }", new { c = channel.Id }))
            .GetProperty("chatMessages").GetProperty("messages");
        Assert.Equal("what an idiot", history[history.GetArrayLength() - 1].GetProperty("text").GetString());

        // Links: the channel's list is for moderators, normalised, and refuses what is no domain.
        const string SetDomains = "mutation($c: ID!, $d: [String!]!) { setChatAllowedLinkDomains(channelId: $c, domains: $d) }";
        (await viewer.SendAsync(SetDomains, new { c = channel.Id, d = new[] { "youtube.com" } })).AssertError("FORBIDDEN");
        (await owner.SendAsync(SetDomains, new { c = channel.Id, d = new[] { "not a domain" } })).AssertError("BAD_USER_INPUT");
        var domains = (await owner.DataAsync(SetDomains, new { c = channel.Id, d = new[] { "https://www.YouTube.com/x" } })).GetProperty("setChatAllowedLinkDomains");
        Assert.Equal("youtube.com", Assert.Single(domains.EnumerateArray()).GetString());
        Assert.Equal("youtube.com", (await owner.DataAsync("query($c: ID!) { chatAllowedLinkDomains(channelId: $c) }", new { c = channel.Id })).GetProperty("chatAllowedLinkDomains")[0].GetString());
        await viewer.DataAsync(Send, new { c = channel.Id, t = "https://youtu.be.youtube.com/clip" });
        (await viewer.SendAsync(Send, new { c = channel.Id, t = "free.example.com/nitro" })).AssertError("HELD");
        (await owner.SendAsync("mutation($c: ID!) { updateChatSettings(channelId: $c, input: { autoModLevel: EXTREME }) { autoModLevel } }", new { c = channel.Id }))
            .AssertError("BAD_USER_INPUT");
    }

    [Fact]
    public async Task Only_moderators_subscribe_to_the_queue_and_a_hub_moderator_watches_it_while_a_hub_sender_is_told_held()
    {
        var owner = fixture.CreateClient();
        var channel = await owner.RegisterAsync();
        var viewer = fixture.CreateClient();
        var viewerAccount = await viewer.RegisterAsync();
        await owner.DataAsync("mutation($c: ID!) { updateChatSettings(channelId: $c, input: { autoModLevel: MEDIUM }) { autoModLevel } }", new { c = channel.Id });

        using (var refused = NodeScript.Start("graphql-ws-client.mjs", new()
        {
            ["WG_WS_URL"] = fixture.WebSocketUri.ToString(),
            ["WG_TOKEN"] = viewerAccount.Token,
            ["WG_QUERY"] = Watch,
            ["WG_VARIABLES"] = JsonSerializer.Serialize(new { c = channel.Id }),
        }))
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => refused.ReadAsync());
            Assert.Contains("\"code\":\"FORBIDDEN\"", error.Message, StringComparison.Ordinal);
        }

        await using var moderatorHub = await ConnectAsync(channel.Token!);
        await using var viewerHub = await ConnectAsync(viewerAccount.Token);
        var events = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
        moderatorHub.On<JsonElement>("heldMessage", e => events.Writer.TryWrite(e));
        var forbidden = await Assert.ThrowsAsync<HubException>(() => viewerHub.InvokeAsync<JsonElement>("WatchHeldMessages", channel.Id.ToString()));
        Assert.Contains("FORBIDDEN", forbidden.Message, StringComparison.Ordinal);

        (await viewer.SendAsync(Send, new { c = channel.Id, t = "send nudes" })).AssertError("HELD");
        var queue = await moderatorHub.InvokeAsync<JsonElement>("WatchHeldMessages", channel.Id.ToString());
        Assert.Equal("send nudes", queue.GetProperty("messages")[0].GetProperty("message").GetProperty("text").GetString());
        Assert.Equal("SEXUAL", queue.GetProperty("messages")[0].GetProperty("category").GetString());

        var sent = await viewerHub.InvokeAsync<JsonElement>("SendMessage", channel.Id.ToString(), "you asshole");
        Assert.False(sent.GetProperty("ok").GetBoolean());
        Assert.Equal(("HELD", "automod"), (sent.GetProperty("error").GetProperty("code").GetString(), sent.GetProperty("error").GetProperty("rule").GetString()));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // The queue's stream may still be delivering the event of a message the snapshot already
        // holds when the watch starts; clients keep one entry per message id, so skip it here too.
        var inSnapshot = queue.GetProperty("messages")[0].GetProperty("message").GetProperty("id").GetString();
        JsonElement live;
        do
        {
            live = await events.Reader.ReadAsync(timeout.Token);
        }
        while (live.GetProperty("messageId").GetString() == inSnapshot);
        Assert.Equal(("HELD", "you asshole"), (live.GetProperty("kind").GetString(), live.GetProperty("held").GetProperty("message").GetProperty("text").GetString()));
        Assert.Equal("0", live.GetProperty("held").GetProperty("message").GetProperty("seq").GetString());

        await owner.DataAsync(Deny, new { c = channel.Id, m = live.GetProperty("messageId").GetString() });
        var denied = await events.Reader.ReadAsync(timeout.Token);
        Assert.Equal("DENIED", denied.GetProperty("kind").GetString());

        await moderatorHub.InvokeAsync("UnwatchHeldMessages", channel.Id.ToString());
        (await viewer.SendAsync(Send, new { c = channel.Id, t = "send nudes again" })).AssertError("HELD");
        await Task.Delay(500);
        Assert.False(events.Reader.TryRead(out _), "Events arrived after unwatching.");
    }

    private async Task<HubConnection> ConnectAsync(string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Api.BaseAddress, "/hubs/chat"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
