using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>Sessions that end without a revocation event (here: they expire) and a sweep every second.</summary>
public sealed class ShortSessionFixture : ApiFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WG_Accounts__SessionLifetime"] = "00:00:04",
        ["WG_Accounts__SocketSessionCheck"] = "00:00:01",
    };
}

[Trait(TestKind.Name, TestKind.Integration)]

public sealed class SessionSocketSweepTests(ShortSessionFixture fixture) : IClassFixture<ShortSessionFixture>
{
    [Fact]
    public async Task A_socket_whose_session_ended_without_an_event_is_closed_with_4403_by_the_sweep()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync(account.Token);

        // Live sessions pass the sweep: the socket still answers after a couple of rounds.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await ws.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await ws.ReceiveAsync())?.GetProperty("type").GetString());

        // Expiry announces nothing; the sweep finds the session gone and closes its socket.
        Assert.Equal(4403, await ws.WaitForCloseAsync(TimeSpan.FromSeconds(15)));
    }
}
