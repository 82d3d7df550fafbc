using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;

namespace WgStream.Tests.Accounts;

/// <summary>changeEmail, changeUsername, removeAvatar/removeBanner and the sessions' device fields, through the real Api.</summary>
[Collection(AccountLifecycleCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed partial class AccountChangeTests(AccountLifecycleFixture fixture)
{
    private const string ChangeEmail = "mutation($e: String!, $p: String!) { changeEmail(newEmail: $e, currentPassword: $p) { username email emailVerified } }";
    private const string ChangeUsername = "mutation($u: String!, $p: String, $t: String) { changeUsername(newUsername: $u, currentPassword: $p, totpCode: $t) { id username } }";
    private const string ChannelByName = "query($u: String!) { channel(username: $u) { id username displayName } }";
    private const string Register = "mutation($i: RegisterInput!) { register(input: $i) { token } }";

    [Fact]
    public async Task Change_e_mail_needs_the_password_a_free_address_and_verification_and_tells_the_old_address()
    {
        var (client, account) = await fixture.RegisterVerifiedAsync();
        var other = await fixture.CreateClient().RegisterAsync();
        var newEmail = $"Moved_{Guid.NewGuid():N}@Example.test";

        (await fixture.CreateClient().SendAsync(ChangeEmail, new { e = newEmail, p = account.Password })).AssertError("UNAUTHENTICATED");
        AssertField(await client.SendAsync(ChangeEmail, new { e = newEmail, p = "not-the-Password-1" }), "BAD_USER_INPUT", "currentPassword");
        AssertField(await client.SendAsync(ChangeEmail, new { e = "not an address", p = account.Password }), "BAD_USER_INPUT", "newEmail");
        AssertField(await client.SendAsync(ChangeEmail, new { e = other.Email.ToUpperInvariant(), p = account.Password }), "BAD_USER_INPUT", "newEmail");
        AssertField(await client.SendAsync(ChangeEmail, new { e = account.Email, p = account.Password }), "BAD_USER_INPUT", "newEmail");

        var changed = (await client.DataAsync(ChangeEmail, new { e = newEmail, p = account.Password })).GetProperty("changeEmail");
        Assert.Equal(newEmail, changed.GetProperty("email").GetString());
        Assert.False(changed.GetProperty("emailVerified").GetBoolean());

        // The old address is told, with the new one half hidden; the new one gets a code.
        var notice = await fixture.Mail.WaitForAsync(account.Email, m => m.Subject == "Your e-mail address was changed");
        Assert.Contains("Mo***@Example.test", notice.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(newEmail, notice.TextBody, StringComparison.Ordinal);
        var codeMail = await fixture.Mail.WaitForAsync(newEmail, m => SixDigits().IsMatch(m.Subject ?? string.Empty));
        var verified = await client.DataAsync("mutation($c: String!) { verifyEmail(code: $c) { email emailVerified } }", new { c = SixDigits().Match(codeMail.Subject!).Value });
        Assert.True(verified.GetProperty("verifyEmail").GetProperty("emailVerified").GetBoolean());

        // Sign-in by the new address works, by the old one not; the old one is free to register.
        Assert.NotNull(await fixture.LoginAsync(fixture.CreateClient(), newEmail.ToLowerInvariant(), account.Password));
        (await fixture.CreateClient().SendAsync("mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Email, password = account.Password } }))
            .AssertError("UNAUTHENTICATED");
        await fixture.CreateClient().DataAsync(Register, new { i = new { username = $"r{Guid.NewGuid():N}"[..16], email = account.Email, password = "correct-Horse-7" } });
    }

    [Fact]
    public async Task Change_username_moves_the_channel_url_reserves_the_old_name_and_waits_for_the_cooldown()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var taken = await fixture.CreateClient().RegisterAsync();
        var newName = $"Renamed_{Guid.NewGuid():N}"[..20];

        (await fixture.CreateClient().SendAsync(ChangeUsername, new { u = newName, p = account.Password })).AssertError("UNAUTHENTICATED");
        AssertField(await client.SendAsync(ChangeUsername, new { u = "no spaces allowed", p = account.Password }), "BAD_USER_INPUT", "newUsername");
        AssertField(await client.SendAsync(ChangeUsername, new { u = taken.Username.ToUpperInvariant(), p = account.Password }), "BAD_USER_INPUT", "newUsername");

        var renamed = (await client.DataAsync(ChangeUsername, new { u = newName, p = account.Password })).GetProperty("changeUsername");
        Assert.Equal(newName, renamed.GetProperty("username").GetString());

        // The channel page answers by the new name at once, by the old one no more; the display
        // name, never chosen, followed; search finds the new name.
        var page = (await fixture.CreateClient().DataAsync(ChannelByName, new { u = newName.ToLowerInvariant() })).GetProperty("channel");
        Assert.Equal(account.Id.ToString(), page.GetProperty("id").GetString());
        Assert.Equal(newName, page.GetProperty("displayName").GetString());
        Assert.Equal(JsonValueKind.Null, (await fixture.CreateClient().DataAsync(ChannelByName, new { u = account.Username })).GetProperty("channel").ValueKind);
        var found = (await fixture.CreateClient().DataAsync("query($q: String!) { searchChannels(query: $q) { edges { node { id username } } } }", new { q = newName }))
            .GetProperty("searchChannels").GetProperty("edges");
        Assert.Contains(found.EnumerateArray(), e => e.GetProperty("node").GetProperty("username").GetString() == newName);
        Assert.NotNull(await fixture.LoginAsync(fixture.CreateClient(), newName, account.Password));
        (await fixture.CreateClient().SendAsync("mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Username, password = account.Password } }))
            .AssertError("UNAUTHENTICATED");

        // The old name stays reserved: nobody else may register it or rename to it.
        AssertField(await fixture.CreateClient().SendAsync(Register, new { i = new { username = account.Username.ToUpperInvariant(), email = $"x{Guid.NewGuid():N}@example.test", password = "correct-Horse-7" } }), "BAD_USER_INPUT", "username");
        var thief = fixture.CreateClient();
        var thiefAccount = await thief.RegisterAsync();
        AssertField(await thief.SendAsync(ChangeUsername, new { u = account.Username, p = thiefAccount.Password }), "BAD_USER_INPUT", "newUsername");

        // A second change within the cooldown is refused with the time it becomes possible...
        var soon = await client.SendAsync(ChangeUsername, new { u = $"again_{Guid.NewGuid():N}"[..16], p = account.Password });
        AssertField(soon, "RATE_LIMITED", "newUsername");
        var retryAt = DateTimeOffset.Parse(soon.FirstError.GetProperty("extensions").GetProperty("retryAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(retryAt, DateTimeOffset.UtcNow.AddDays(29), DateTimeOffset.UtcNow.AddDays(31));

        // ...but changing only the case is free.
        var upper = newName.ToUpperInvariant();
        Assert.Equal(upper, (await client.DataAsync(ChangeUsername, new { u = upper, p = account.Password })).GetProperty("changeUsername").GetProperty("username").GetString());
        Assert.Equal(upper, (await fixture.CreateClient().DataAsync(ChannelByName, new { u = newName })).GetProperty("channel").GetProperty("username").GetString());
    }

    [Fact]
    public async Task Change_username_needs_the_password_or_on_a_2fa_account_a_fresh_code_and_a_refusal_changes_nothing()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var newName = $"Proved_{Guid.NewGuid():N}"[..20];

        AssertField(await client.SendAsync(ChangeUsername, new { u = newName }), "BAD_USER_INPUT", "currentPassword");
        AssertField(await client.SendAsync(ChangeUsername, new { u = newName, p = "not-the-Password-1" }), "BAD_USER_INPUT", "currentPassword");
        // Without 2FA on, a code is no substitute for the password.
        AssertField(await client.SendAsync(ChangeUsername, new { u = newName, t = "123456" }), "BAD_USER_INPUT", "currentPassword");
        await AssertNamedAsync(account.Username);

        var totp = await TwoFactor.TurnOnAsync(client, account.Password);
        AssertField(await client.SendAsync(ChangeUsername, new { u = newName, t = "000000" }), "BAD_USER_INPUT", "totpCode");
        await AssertNamedAsync(account.Username);

        // The next time step's code (the confirming one is used up) stands in for the password, once.
        var code = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        Assert.Equal(newName, (await client.DataAsync(ChangeUsername, new { u = newName, t = code })).GetProperty("changeUsername").GetProperty("username").GetString());
        await AssertNamedAsync(newName);
        AssertField(await client.SendAsync(ChangeUsername, new { u = newName.ToUpperInvariant(), t = code }), "BAD_USER_INPUT", "totpCode");
        await AssertNamedAsync(newName);

        async Task AssertNamedAsync(string username)
        {
            Assert.Equal(username, (await client.DataAsync("{ me { username } }")).GetProperty("me").GetProperty("username").GetString());
            var page = (await fixture.CreateClient().DataAsync(ChannelByName, new { u = username })).GetProperty("channel");
            Assert.Equal(account.Id.ToString(), page.GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Of_several_accounts_claiming_one_name_at_once_exactly_one_gets_it()
    {
        for (var round = 0; round < 3; round++)
        {
            var clients = new List<(GraphQLClient Client, TestAccount Account)>();
            for (var i = 0; i < 4; i++)
            {
                var client = fixture.CreateClient();
                clients.Add((client, await client.RegisterAsync()));
            }

            var name = $"Race_{Guid.NewGuid():N}"[..18];
            // Each asks for the name in its own casing: the registry compares ignoring case.
            var results = await Task.WhenAll(clients.Select((c, i) =>
                c.Client.SendAsync(ChangeUsername, new { u = i % 2 == 0 ? name : name.ToLowerInvariant(), p = c.Account.Password })));

            var winners = results.Select((r, i) => (r, i)).Where(x => x.r.Succeeded).ToList();
            var winner = Assert.Single(winners);
            foreach (var loser in results.Where(r => !r.Succeeded))
            {
                AssertField(loser, "BAD_USER_INPUT", "newUsername");
            }

            var page = (await fixture.CreateClient().DataAsync(ChannelByName, new { u = name })).GetProperty("channel");
            Assert.Equal(clients[winner.i].Account.Id.ToString(), page.GetProperty("id").GetString());
            Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE lower(username) = lower(@n)", new { n = name }));
            Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM channels WHERE lower(username) = lower(@n)", new { n = name }));
            foreach (var (_, loser) in clients.Where((_, i) => i != winner.i))
            {
                var own = (await fixture.CreateClient().DataAsync(ChannelByName, new { u = loser.Username })).GetProperty("channel");
                Assert.Equal(loser.Id.ToString(), own.GetProperty("id").GetString());
            }
        }
    }

    [Fact]
    public async Task Remove_avatar_and_banner_delete_the_stored_files()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        (await fixture.CreateClient().SendAsync("mutation { removeAvatar { id } }")).AssertError("UNAUTHENTICATED");

        var avatar = await fixture.UploadAsync("avatar", account.Token, TestImages.Png(400, 400));
        var banner = await fixture.UploadAsync("banner", account.Token, TestImages.Png(1500, 600));
        foreach (var url in avatar.Concat(banner))
        {
            Assert.Equal(HttpStatusCode.OK, await fixture.GetStatusAsync(url));
        }

        var afterAvatar = (await client.DataAsync("mutation { removeAvatar { avatarUrl avatarSmallUrl bannerUrl } }")).GetProperty("removeAvatar");
        Assert.Equal(JsonValueKind.Null, afterAvatar.GetProperty("avatarUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, afterAvatar.GetProperty("avatarSmallUrl").ValueKind);
        Assert.Equal(banner[0], afterAvatar.GetProperty("bannerUrl").GetString());
        foreach (var url in avatar)
        {
            Assert.Equal(HttpStatusCode.NotFound, await fixture.GetStatusAsync(url));
        }

        var afterBanner = (await client.DataAsync("mutation { removeBanner { bannerUrl } }")).GetProperty("removeBanner");
        Assert.Equal(JsonValueKind.Null, afterBanner.GetProperty("bannerUrl").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, await fixture.GetStatusAsync(banner[0]));
        // Removing what is not there is harmless.
        Assert.Equal(JsonValueKind.Null, (await client.DataAsync("mutation { removeBanner { bannerUrl } }")).GetProperty("removeBanner").GetProperty("bannerUrl").ValueKind);
        var page = (await fixture.CreateClient().DataAsync("query($u: String!) { channel(username: $u) { avatarUrl bannerUrl } }", new { u = account.Username })).GetProperty("channel");
        Assert.Equal(JsonValueKind.Null, page.GetProperty("avatarUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("bannerUrl").ValueKind);
    }

    [Fact]
    public async Task Sessions_show_the_browser_os_and_device_their_user_agent_names()
    {
        const string iPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1";
        const string windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
        var desktop = ClientWithAgent(windows);
        var account = await desktop.RegisterAsync();
        var phone = ClientWithAgent(iPhone);
        phone.Token = await fixture.LoginAsync(phone, account.Username, account.Password);

        var sessions = (await desktop.DataAsync("{ mySessions { current userAgent browser browserVersion os osVersion deviceType } }")).GetProperty("mySessions").EnumerateArray().ToList();
        Assert.Equal(2, sessions.Count);
        var mine = sessions.Single(s => s.GetProperty("current").GetBoolean());
        Assert.Equal(("Chrome", "120", "Windows", "10", "DESKTOP"), Device(mine));
        var other = sessions.Single(s => !s.GetProperty("current").GetBoolean());
        Assert.Equal(iPhone, other.GetProperty("userAgent").GetString());
        Assert.Equal(("Safari", "17", "iOS", "17.1.2", "MOBILE"), Device(other));

        static (string?, string?, string?, string?, string?) Device(JsonElement s) => (
            s.GetProperty("browser").GetString(), s.GetProperty("browserVersion").GetString(), s.GetProperty("os").GetString(),
            s.GetProperty("osVersion").GetString(), s.GetProperty("deviceType").GetString());
    }

    private GraphQLClient ClientWithAgent(string userAgent)
    {
        var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        return new GraphQLClient(http);
    }

    internal static void AssertField(GraphQLResponse response, string code, string field)
    {
        response.AssertError(code);
        Assert.Equal(field, response.FirstError.GetProperty("extensions").GetProperty("field").GetString());
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
