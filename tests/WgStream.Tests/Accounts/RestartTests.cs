using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Accounts;

/// <summary>Accounts, sessions, channels and acknowledged chat live in PostgreSQL, not in the process: a restart loses nothing.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly ApiFixture fixture = new();

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Accounts_sessions_channels_and_chat_survive_an_api_restart()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var setup = await client.DataAsync("mutation { enableTotp { secret } }");
        Assert.NotNull(setup.GetProperty("enableTotp").GetProperty("secret").GetString());
        await client.DataAsync("mutation($i: UpdateChannelInput!) { updateChannel(input: $i) { id } }", new { i = new { bio = "still here" } });
        const string send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { seq } }";
        for (var i = 0; i < 20; i++)
        {
            await client.DataAsync(send, new { c = account.Id, t = $"acknowledged {i}" });
        }

        await fixture.Api.StopAsync();
        await fixture.Api.StartAsync();

        var after = fixture.CreateClient();
        after.Token = account.Token;
        var me = (await after.DataAsync("{ me { id username email } mySessions { id current } }"));
        Assert.Equal(account.Id.ToString(), me.GetProperty("me").GetProperty("id").GetString());
        Assert.True(me.GetProperty("mySessions")[0].GetProperty("current").GetBoolean());

        var channel = await after.DataAsync("query($u: String!, $c: ID!) { channel(username: $u) { bio } chatMessages(channelId: $c, last: 50) { messages { text seq } } }", new { u = account.Username, c = account.Id });
        Assert.Equal("still here", channel.GetProperty("channel").GetProperty("bio").GetString());
        var texts = channel.GetProperty("chatMessages").GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"acknowledged {i}"), texts);
        var next = (await after.DataAsync(send, new { c = account.Id, t = "after restart" })).GetProperty("sendChatMessage").GetProperty("seq").GetString();
        Assert.True(long.Parse(next!, System.Globalization.CultureInfo.InvariantCulture)
            > channel.GetProperty("chatMessages").GetProperty("messages").EnumerateArray().Max(m => long.Parse(m.GetProperty("seq").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));

        var login = await fixture.CreateClient().DataAsync(
            "mutation($i: LoginInput!) { login(input: $i) { token user { username } } }",
            new { i = new { login = account.Username, password = account.Password } });
        Assert.Equal(account.Username, login.GetProperty("login").GetProperty("user").GetProperty("username").GetString());
    }
}
