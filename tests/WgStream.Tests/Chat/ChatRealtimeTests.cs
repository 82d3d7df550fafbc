using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Chat;

/// <summary>Chat delivered live: the .NET SignalR client, the @microsoft/signalr npm client and the graphql-ws npm client against the running app.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatRealtimeTests(ApiFixture fixture)
{
    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id } }";

    [Fact]
    public async Task SignalR_clients_receive_messages_moderation_and_settings_and_get_refusals_as_data()
    {
        var owner = fixture.CreateClient();
        var channel = await owner.RegisterAsync();
        var viewer = fixture.CreateClient();
        var viewerAccount = await viewer.RegisterAsync();

        await using var viewerHub = await ConnectAsync(viewerAccount.Token);
        await using var anonymousHub = await ConnectAsync(null);
        var viewerInbox = Listen(viewerHub);
        var anonymousInbox = Listen(anonymousHub);
        await owner.DataAsync(Send, new { c = channel.Id, t = "before anyone joined" });

        var joined = await viewerHub.InvokeAsync<JsonElement>("JoinChannel", channel.Id.ToString());
        Assert.Equal("before anyone joined", joined.GetProperty("messages")[0].GetProperty("text").GetString());
        Assert.True(joined.GetProperty("settings").GetProperty("enabled").GetBoolean());
        viewerInbox.SkipUpTo(joined);
        anonymousInbox.SkipUpTo(await anonymousHub.InvokeAsync<JsonElement>("JoinChannel", channel.Id.ToString()));

        var sent = await viewerHub.InvokeAsync<JsonElement>("SendMessage", channel.Id.ToString(), "hello from signalr :wgLove:");
        Assert.True(sent.GetProperty("ok").GetBoolean(), sent.ToString());
        foreach (var inbox in new[] { viewerInbox, anonymousInbox })
        {
            var message = await inbox.NextAsync("message");
            Assert.Equal("hello from signalr :wgLove:", message.GetProperty("text").GetString());
            Assert.Equal("EMOTE", message.GetProperty("fragments")[1].GetProperty("kind").GetString());
        }

        var anonymousSend = await anonymousHub.InvokeAsync<JsonElement>("SendMessage", channel.Id.ToString(), "let me talk");
        Assert.False(anonymousSend.GetProperty("ok").GetBoolean());
        Assert.Equal("UNAUTHENTICATED", anonymousSend.GetProperty("error").GetProperty("code").GetString());

        await owner.DataAsync("mutation($c: ID!, $u: ID!) { timeoutUser(channelId: $c, userId: $u, seconds: 60, reason: \"cool off\") }", new { c = channel.Id, u = viewerAccount.Id });
        var banned = await anonymousInbox.NextAsync("userBanned");
        Assert.Equal(viewerAccount.Id.ToString(), banned.GetProperty("userId").GetString());
        Assert.NotEqual(JsonValueKind.Null, banned.GetProperty("until").ValueKind);
        var refused = await viewerHub.InvokeAsync<JsonElement>("SendMessage", channel.Id.ToString(), "am I muted?");
        Assert.False(refused.GetProperty("ok").GetBoolean());
        Assert.Equal("FORBIDDEN", refused.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("timeout", refused.GetProperty("error").GetProperty("rule").GetString());
        Assert.NotEqual(JsonValueKind.Null, refused.GetProperty("error").GetProperty("retryAt").ValueKind);

        await owner.DataAsync("mutation($c: ID!) { updateChatSettings(channelId: $c, input: { slowModeSeconds: 10 }) { enabled } }", new { c = channel.Id });
        Assert.Equal(10, (await anonymousInbox.NextAsync("settingsChanged")).GetProperty("slowModeSeconds").GetInt32());

        var ownerMessage = (await owner.DataAsync(Send, new { c = channel.Id, t = "to be deleted" })).GetProperty("sendChatMessage").GetProperty("id").GetString();
        await anonymousInbox.NextAsync("message");
        await owner.DataAsync("mutation($c: ID!, $m: ID!) { deleteChatMessage(channelId: $c, messageId: $m) }", new { c = channel.Id, m = ownerMessage });
        Assert.Equal(ownerMessage, (await anonymousInbox.NextAsync("messageDeleted")).GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task Revoking_a_session_ends_its_SignalR_connection()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        var other = fixture.CreateClient();
        var token = (await other.DataAsync("mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Username, password = account.Password } }))
            .GetProperty("login").GetProperty("token").GetString()!;
        await using var hub = await ConnectAsync(token);
        var closed = new TaskCompletionSource();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var owner = fixture.CreateClient();
        owner.Token = account.Token;
        var stopwatch = Stopwatch.StartNew();
        await owner.DataAsync("mutation { revokeOtherSessions }");
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"closed after {stopwatch.Elapsed}");

        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(token));
    }

    [Fact]
    public async Task The_npm_signalr_and_graphql_ws_clients_see_the_same_messages_in_send_order()
    {
        var owner = fixture.CreateClient();
        var channel = await owner.RegisterAsync();
        var senders = new List<GraphQLClient>();
        for (var i = 0; i < 3; i++)
        {
            var sender = fixture.CreateClient();
            await sender.RegisterAsync();
            senders.Add(sender);
        }

        const int perSender = 10;
        using var signalr = NodeScript.Start("chat-signalr-client.mjs", new()
        {
            ["WG_URL"] = fixture.Api.BaseAddress.ToString().TrimEnd('/'),
            ["WG_CHANNEL"] = channel.Id.ToString(),
            ["WG_COUNT"] = (senders.Count * perSender).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WG_TOKEN"] = owner.Token!,
        });
        using var graphqlWs = NodeScript.Start("chat-graphql-ws-client.mjs", new()
        {
            ["WG_WS_URL"] = fixture.WebSocketUri.ToString(),
            ["WG_CHANNEL"] = channel.Id.ToString(),
            ["WG_COUNT"] = (senders.Count * perSender).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.True((await signalr.ReadAsync()).TryGetProperty("ready", out _));
        Assert.True((await graphqlWs.ReadAsync()).TryGetProperty("ready", out _));

        // Each sender sends in order; the three senders run at the same time.
        await Task.WhenAll(senders.Select((sender, s) => Task.Run(async () =>
        {
            for (var i = 0; i < perSender; i++)
            {
                await sender.DataAsync(Send, new { c = channel.Id, t = $"s{s}-{i:D2}" });
            }
        })));

        var viaSignalR = (await signalr.ReadAsync()).GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
        var viaGraphQL = (await graphqlWs.ReadAsync()).GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
        Assert.Equal(senders.Count * perSender, viaSignalR.Count);
        Assert.Equal(viaSignalR, viaGraphQL);
        for (var s = 0; s < senders.Count; s++)
        {
            var mine = viaSignalR.Where(t => t.StartsWith($"s{s}-", StringComparison.Ordinal)).ToList();
            Assert.Equal(mine.Order(StringComparer.Ordinal), mine);
        }

        var history = (await owner.DataAsync("query($c: ID!) { chatMessages(channelId: $c, last: 100) { messages { text } } }", new { c = channel.Id }))
            .GetProperty("chatMessages").GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToList();
        Assert.Equal(viaSignalR, history);
    }

    private async Task<HubConnection> ConnectAsync(string? token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Api.BaseAddress, "/hubs/chat"), options =>
            {
                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    private static Inbox Listen(HubConnection connection)
    {
        var inbox = new Inbox();
        foreach (var name in new[] { "message", "messageDeleted", "userBanned", "userUnbanned", "settingsChanged" })
        {
            connection.On<JsonElement>(name, payload => inbox.Items.Writer.TryWrite((name, payload)));
        }

        return inbox;
    }

    /// <summary>Collects hub events; like a real client, skips live messages already in the join-time history.</summary>
    private sealed class Inbox
    {
        private long historySeq;

        public Channel<(string Name, JsonElement Payload)> Items { get; } = Channel.CreateUnbounded<(string, JsonElement)>();

        public void SkipUpTo(JsonElement joined) =>
            historySeq = joined.GetProperty("messages").EnumerateArray().Select(m => long.Parse(m.GetProperty("seq").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

        /// <summary>The next event of this kind, skipping others.</summary>
        public async Task<JsonElement> NextAsync(string name)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                var (received, payload) = await Items.Reader.ReadAsync(timeout.Token);
                if (received == "message" && long.Parse(payload.GetProperty("seq").GetString()!, System.Globalization.CultureInfo.InvariantCulture) <= historySeq)
                {
                    continue;
                }

                if (received == name)
                {
                    return payload;
                }
            }
        }
    }
}
