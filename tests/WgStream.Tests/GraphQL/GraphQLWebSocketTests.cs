using System.Diagnostics;
using System.Net.WebSockets;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>The graphql-transport-ws protocol, message by message, against the running Api.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class GraphQLWebSocketTests(ApiFixture fixture)
{
    [Fact]
    public async Task Queries_run_over_the_socket_with_next_then_complete_and_ping_gets_pong()
    {
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync();
        await ws.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await ws.ReceiveAsync())?.GetProperty("type").GetString());

        await ws.SendAsync(new { id = "1", type = "subscribe", payload = new { query = "{ me { username } }" } });
        var next = (await ws.ReceiveAsync())!.Value;
        Assert.Equal("next", next.GetProperty("type").GetString());
        Assert.Equal("1", next.GetProperty("id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, next.GetProperty("payload").GetProperty("data").GetProperty("me").ValueKind);
        Assert.Equal("complete", (await ws.ReceiveAsync())?.GetProperty("type").GetString());

        await ws.SendAsync(new { id = "2", type = "subscribe", payload = new { query = "{ nope }" } });
        var error = (await ws.ReceiveAsync())!.Value;
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("BAD_USER_INPUT", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Subscribing_before_the_ack_closes_with_4401()
    {
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.SendAsync(new { id = "1", type = "subscribe", payload = new { query = "{ me { id } }" } });
        Assert.Equal(4401, await ws.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_second_connection_init_closes_with_4429()
    {
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync();
        await ws.SendAsync(new { type = "connection_init" });
        Assert.Equal(4429, await ws.WaitForCloseAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"type\":\"what\"}")]
    [InlineData("{\"type\":\"subscribe\",\"payload\":{\"query\":\"{ me { id } }\"}}")]
    public async Task Invalid_messages_close_with_4400(string text)
    {
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync();
        await ws.SendTextAsync(text);
        Assert.Equal(4400, await ws.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_bad_token_in_connection_init_closes_with_4403()
    {
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.SendAsync(new { type = "connection_init", payload = new { token = "made.up" } });
        Assert.Equal(4403, await ws.WaitForCloseAsync());
    }

    [Fact]
    public async Task No_connection_init_within_the_timeout_closes_with_4408()
    {
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        Assert.Equal(4408, await ws.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Reusing_the_id_of_a_running_subscription_closes_with_4409()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync(account.Token);
        var subscribe = new { id = "s", type = "subscribe", payload = new { query = "subscription { securityEvents { kind } }" } };
        await ws.SendAsync(subscribe);
        await ws.SendAsync(subscribe);
        Assert.Equal(4409, await ws.WaitForCloseAsync());
    }

    [Fact]
    public async Task Without_the_subprotocol_the_upgrade_is_refused()
    {
        var error = await Assert.ThrowsAsync<WebSocketException>(() => WsTestClient.ConnectAsync(fixture.WebSocketUri, "graphql-ws"));
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_a_session_closes_its_sockets_within_a_second()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var device = fixture.CreateClient();
        var deviceToken = (await device.DataAsync(
            "mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Username, password = account.Password } }))
            .GetProperty("login").GetProperty("token").GetString()!;

        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync(deviceToken);
        await ws.SendAsync(new { id = "s", type = "subscribe", payload = new { query = "subscription { securityEvents { kind } }" } });
        // Answered only after the subscription above is in place: messages are handled in order.
        await ws.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await ws.ReceiveAsync())?.GetProperty("type").GetString());

        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(1, (await owner.DataAsync("mutation { revokeOtherSessions }")).GetProperty("revokeOtherSessions").GetInt32());
        var code = await ws.WaitForCloseAsync(TimeSpan.FromSeconds(5));
        stopwatch.Stop();

        Assert.Equal(4403, code);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"The socket closed after {stopwatch.Elapsed}.");
    }
}
