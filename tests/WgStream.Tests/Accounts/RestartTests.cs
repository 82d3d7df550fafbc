using OtpNet;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Accounts;

/// <summary>Accounts (with 2FA), sessions, channels and acknowledged chat live in PostgreSQL, not in the process: a restart loses nothing.</summary>
[Trait(TestKind.Name, TestKind.Integration)]
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
        var secret = (await client.DataAsync("mutation($p: String!) { enableTotp(currentPassword: $p) { secret } }", new { p = account.Password })).GetProperty("enableTotp").GetProperty("secret").GetString()!;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await client.DataAsync("mutation($c: String!) { confirmTotp(code: $c) }", new { c = totp.ComputeTotp(DateTime.UtcNow) });
        // Grain state holds the TOTP secret encrypted only: no row of the storage table contains it.
        await using (var leak = fixture.Database.DataSource.CreateCommand(
            "SELECT count(*) FROM orleans_storage WHERE upper(convert_from(payload_binary, 'UTF8')) LIKE '%' || @secret || '%'"))
        {
            leak.Parameters.AddWithValue("secret", secret.ToUpperInvariant());
            Assert.Equal(0L, await leak.ExecuteScalarAsync());
        }

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

        const string login = "mutation($i: LoginInput!) { login(input: $i) { token totpRequired user { username } } }";
        var passwordOnly = (await fixture.CreateClient().DataAsync(login, new { i = new { login = account.Username, password = account.Password } })).GetProperty("login");
        Assert.True(passwordOnly.GetProperty("totpRequired").GetBoolean());
        // The restarted process decrypts the stored secret and accepts a code from the authenticator.
        var withCode = (await fixture.CreateClient().DataAsync(login, new { i = new { login = account.Username, password = account.Password, totpCode = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)) } }))
            .GetProperty("login");
        Assert.False(withCode.GetProperty("totpRequired").GetBoolean());
        Assert.NotNull(withCode.GetProperty("token").GetString());
        Assert.Equal(account.Username, withCode.GetProperty("user").GetProperty("username").GetString());
    }
}
