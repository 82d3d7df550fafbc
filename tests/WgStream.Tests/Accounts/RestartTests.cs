using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Accounts;

/// <summary>Accounts and sessions live in PostgreSQL, not in the process: a restart loses nothing.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly ApiFixture fixture = new();

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Accounts_and_sessions_survive_an_api_restart()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var setup = await client.DataAsync("mutation { enableTotp { secret } }");
        Assert.NotNull(setup.GetProperty("enableTotp").GetProperty("secret").GetString());

        await fixture.Api.StopAsync();
        await fixture.Api.StartAsync();

        var after = fixture.CreateClient();
        after.Token = account.Token;
        var me = (await after.DataAsync("{ me { id username email } mySessions { id current } }"));
        Assert.Equal(account.Id.ToString(), me.GetProperty("me").GetProperty("id").GetString());
        Assert.True(me.GetProperty("mySessions")[0].GetProperty("current").GetBoolean());

        var login = await fixture.CreateClient().DataAsync(
            "mutation($i: LoginInput!) { login(input: $i) { token user { username } } }",
            new { i = new { login = account.Username, password = account.Password } });
        Assert.Equal(account.Username, login.GetProperty("login").GetProperty("user").GetProperty("username").GetString());
    }
}
