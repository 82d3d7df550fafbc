using System.Net;
using System.Text.RegularExpressions;
using OtpNet;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Accounts;

[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed partial class AccountsApiTests(ApiFixture fixture)
{
    private const string Me = "{ me { id username email emailVerified totpEnabled } }";
    private const string EnableTotp = "mutation($p: String!) { enableTotp(currentPassword: $p) { secret otpauthUri } }";

    [Fact]
    public async Task Register_signs_in_and_e_mails_a_code_that_verifies_the_address()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();

        var me = (await client.DataAsync(Me)).GetProperty("me");
        Assert.Equal(account.Username, me.GetProperty("username").GetString());
        Assert.Equal(account.Email, me.GetProperty("email").GetString());
        Assert.False(me.GetProperty("emailVerified").GetBoolean());

        var mail = await fixture.Mail.WaitForAsync(account.Email);
        var code = SixDigits().Match(mail.Subject ?? string.Empty).Value;
        Assert.Contains(code, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(code, mail.HtmlBody, StringComparison.Ordinal);
        // The link leads to the web client this Api serves (PublicBaseUrl, set by ApiProcess), whose /verify-email page submits the code.
        var link = $"{fixture.Api.BaseAddress.ToString().TrimEnd('/')}/verify-email?code={code}";
        Assert.Contains(link, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{link}\">", mail.HtmlBody, StringComparison.Ordinal);

        (await client.SendAsync("mutation { verifyEmail(code: \"000000\") { emailVerified } }")).AssertError("BAD_USER_INPUT");
        var verified = await client.DataAsync("mutation($c: String!) { verifyEmail(code: $c) { emailVerified } }", new { c = code });
        Assert.True(verified.GetProperty("verifyEmail").GetProperty("emailVerified").GetBoolean());
    }

    [Fact]
    public async Task Usernames_and_e_mails_are_unique_ignoring_case()
    {
        var name = $"Dup_{Guid.NewGuid():N}"[..16];
        await fixture.CreateClient().RegisterAsync(name);

        var again = await fixture.CreateClient().SendAsync(
            "mutation($i: RegisterInput!) { register(input: $i) { token } }",
            new { i = new { username = name.ToLowerInvariant(), email = $"other{Guid.NewGuid():N}@example.test", password = "correct-Horse-7" } });
        again.AssertError("BAD_USER_INPUT");
        Assert.Equal("username", again.FirstError.GetProperty("extensions").GetProperty("field").GetString());

        var sameEmail = await fixture.CreateClient().SendAsync(
            "mutation($i: RegisterInput!) { register(input: $i) { token } }",
            new { i = new { username = $"x{Guid.NewGuid():N}"[..12], email = $"{name.ToUpperInvariant()}@EXAMPLE.TEST", password = "correct-Horse-7" } });
        sameEmail.AssertError("BAD_USER_INPUT");
        Assert.Equal("email", sameEmail.FirstError.GetProperty("extensions").GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("ab", "ok@example.test", "correct-Horse-7", "username")]
    [InlineData("has space", "ok@example.test", "correct-Horse-7", "username")]
    [InlineData("name_that_is_far_too_long_x", "ok@example.test", "correct-Horse-7", "username")]
    [InlineData("Settings", "ok@example.test", "correct-Horse-7", "username")]
    [InlineData("dashboard", "ok@example.test", "correct-Horse-7", "username")]
    [InlineData("GRAPHQL", "ok@example.test", "correct-Horse-7", "username")]
    [InlineData("valid_name", "not-an-address", "correct-Horse-7", "email")]
    [InlineData("valid_name", "ok@example.test", "short1", "password")]
    [InlineData("valid_name", "ok@example.test", "onlyletters", "password")]
    [InlineData("valid_name", "ok@example.test", "xvalid_name1", "password")]
    public async Task Registration_rejects_bad_input_naming_the_field(string username, string email, string password, string field)
    {
        var response = await fixture.CreateClient().SendAsync(
            "mutation($i: RegisterInput!) { register(input: $i) { token } }", new { i = new { username, email, password } });
        response.AssertError("BAD_USER_INPUT");
        Assert.Equal(field, response.FirstError.GetProperty("extensions").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Login_by_username_or_e_mail_and_wrong_password_is_refused()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        var client = fixture.CreateClient();

        foreach (var login in new[] { account.Username.ToUpperInvariant(), account.Email })
        {
            var data = await client.DataAsync(
                "mutation($i: LoginInput!) { login(input: $i) { token totpRequired user { username } } }",
                new { i = new { login, password = account.Password } });
            Assert.False(string.IsNullOrEmpty(data.GetProperty("login").GetProperty("token").GetString()));
        }

        var wrong = await client.SendAsync(
            "mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Username, password = "wrong-Password-1" } });
        wrong.AssertError("UNAUTHENTICATED");
        var nobody = await client.SendAsync(
            "mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = "nobody_here", password = "wrong-Password-1" } });
        nobody.AssertError("UNAUTHENTICATED");
        Assert.Equal(wrong.FirstError.GetProperty("message").GetString(), nobody.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Sessions_are_listed_and_a_revoked_token_stops_working_at_once()
    {
        var first = fixture.CreateClient();
        var account = await first.RegisterAsync();
        var second = fixture.CreateClient();
        second.Token = await LoginAsync(second, account.Username, account.Password);

        var sessions = (await first.DataAsync("{ mySessions { id current ipAddress userAgent } }")).GetProperty("mySessions");
        Assert.Equal(2, sessions.GetArrayLength());
        Assert.Single(sessions.EnumerateArray(), s => s.GetProperty("current").GetBoolean());
        Assert.Contains(sessions.EnumerateArray(), s => s.GetProperty("ipAddress").GetString() == second.ForwardedFor);
        var other = sessions.EnumerateArray().Single(s => !s.GetProperty("current").GetBoolean()).GetProperty("id").GetString();

        Assert.Equal(1, await StoredSessionRowsAsync(other!));
        Assert.True((await first.DataAsync("mutation($id: ID!) { revokeSession(id: $id) }", new { id = other })).GetProperty("revokeSession").GetBoolean());
        (await second.SendAsync(Me)).AssertError("UNAUTHENTICATED", HttpStatusCode.Unauthorized);
        // Nothing about a revoked session is kept.
        Assert.Equal(0, await StoredSessionRowsAsync(other!));
        (await first.SendAsync("mutation { revokeSession(id: \"no-such-session\") }")).AssertError("NOT_FOUND");

        var third = fixture.CreateClient();
        third.Token = await LoginAsync(third, account.Username, account.Password);
        Assert.Equal(1, (await first.DataAsync("mutation { revokeOtherSessions }")).GetProperty("revokeOtherSessions").GetInt32());
        (await third.SendAsync(Me)).AssertError("UNAUTHENTICATED", HttpStatusCode.Unauthorized);

        Assert.True((await first.DataAsync("mutation { logout }")).GetProperty("logout").GetBoolean());
        (await first.SendAsync(Me)).AssertError("UNAUTHENTICATED", HttpStatusCode.Unauthorized);
    }

    /// <summary>Grain state rows of one session (string-keyed grains keep their key as the id's extension).</summary>
    private async Task<long> StoredSessionRowsAsync(string sessionId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT count(*) FROM orleans_storage WHERE grain_id_extension_string = @id AND payload_binary IS NOT NULL");
        command.Parameters.AddWithValue("id", sessionId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Signed_out_callers_are_refused_where_a_session_is_needed()
    {
        var anonymous = fixture.CreateClient();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await anonymous.DataAsync(Me)).GetProperty("me").ValueKind);
        (await anonymous.SendAsync("{ mySessions { id } }")).AssertError("UNAUTHENTICATED");
        (await anonymous.SendAsync("mutation { enableTotp(currentPassword: \"correct-Horse-7\") { secret } }")).AssertError("UNAUTHENTICATED");
        anonymous.Token = "made-up.token";
        (await anonymous.SendAsync(Me)).AssertError("UNAUTHENTICATED", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Totp_guards_login_codes_cannot_be_replayed_and_recovery_codes_work_once()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var setup = (await client.DataAsync(EnableTotp, new { p = account.Password })).GetProperty("enableTotp");
        var secret = setup.GetProperty("secret").GetString()!;
        Assert.StartsWith("otpauth://totp/WG-Stream:", setup.GetProperty("otpauthUri").GetString(), StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(secret));

        (await client.SendAsync("mutation { confirmTotp(code: \"123456\") }")).AssertError("BAD_USER_INPUT");
        var recovery = (await client.DataAsync("mutation($c: String!) { confirmTotp(code: $c) }", new { c = totp.ComputeTotp() }))
            .GetProperty("confirmTotp").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, recovery.Distinct().Count());

        var other = fixture.CreateClient();
        const string login = "mutation($i: LoginInput!) { login(input: $i) { token totpRequired } }";
        var first = (await other.DataAsync(login, new { i = new { login = account.Username, password = account.Password } })).GetProperty("login");
        Assert.True(first.GetProperty("totpRequired").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("token").ValueKind);

        (await other.SendAsync(login, new { i = new { login = account.Username, password = account.Password, totpCode = "000000" } }))
            .AssertError("UNAUTHENTICATED");

        // The next time step's code: accepted once (clock skew window), then never again.
        var next = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        var signedIn = (await other.DataAsync(login, new { i = new { login = account.Username, password = account.Password, totpCode = next } })).GetProperty("login");
        Assert.False(string.IsNullOrEmpty(signedIn.GetProperty("token").GetString()));
        (await other.SendAsync(login, new { i = new { login = account.Username, password = account.Password, totpCode = next } }))
            .AssertError("UNAUTHENTICATED");

        var withRecovery = (await other.DataAsync(login, new { i = new { login = account.Username, password = account.Password, totpCode = recovery[0] } })).GetProperty("login");
        Assert.False(string.IsNullOrEmpty(withRecovery.GetProperty("token").GetString()));
        (await other.SendAsync(login, new { i = new { login = account.Username, password = account.Password, totpCode = recovery[0] } }))
            .AssertError("UNAUTHENTICATED");

        (await client.SendAsync("mutation($c: String!) { disableTotp(code: $c) }", new { c = recovery[0] })).AssertError("BAD_USER_INPUT");
        Assert.True((await client.DataAsync("mutation($c: String!) { disableTotp(code: $c) }", new { c = recovery[1] })).GetProperty("disableTotp").GetBoolean());
        Assert.False((await client.DataAsync(Me)).GetProperty("me").GetProperty("totpEnabled").GetBoolean());
    }

    [Fact]
    public async Task Enabling_totp_needs_the_current_password_and_a_wrong_one_hands_out_no_secret()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();

        var refused = await client.SendAsync(EnableTotp, new { p = "not-the-Password-1" });
        refused.AssertError("BAD_USER_INPUT");
        Assert.Equal("currentPassword", refused.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        Assert.DoesNotContain("otpauth", refused.Body, StringComparison.Ordinal);
        // An empty password is just as wrong (Argon2 cannot hash one: it used to be INTERNAL).
        (await client.SendAsync(EnableTotp, new { p = string.Empty })).AssertError("BAD_USER_INPUT");
        // Nothing was started: there is no pending secret to confirm, and 2FA stays off.
        var unstarted = await client.SendAsync("mutation { confirmTotp(code: \"123456\") }");
        unstarted.AssertError("BAD_USER_INPUT");
        Assert.Contains("enableTotp first", unstarted.Body, StringComparison.Ordinal);
        Assert.False((await client.DataAsync(Me)).GetProperty("me").GetProperty("totpEnabled").GetBoolean());

        var setup = (await client.DataAsync(EnableTotp, new { p = account.Password })).GetProperty("enableTotp");
        var totp = new Totp(Base32Encoding.ToBytes(setup.GetProperty("secret").GetString()!));
        await client.DataAsync("mutation($c: String!) { confirmTotp(code: $c) }", new { c = totp.ComputeTotp() });
        Assert.True((await client.DataAsync(Me)).GetProperty("me").GetProperty("totpEnabled").GetBoolean());
    }

    [Fact]
    public async Task Password_reset_by_e_mailed_link_signs_every_session_out()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var anonymous = fixture.CreateClient();

        Assert.True((await anonymous.DataAsync("mutation { requestPasswordReset(email: \"nobody@example.test\") }")).GetProperty("requestPasswordReset").GetBoolean());
        Assert.True((await anonymous.DataAsync("mutation($e: String!) { requestPasswordReset(email: $e) }", new { e = account.Email.ToUpperInvariant() }))
            .GetProperty("requestPasswordReset").GetBoolean());

        var mail = await fixture.Mail.WaitForAsync(account.Email, m => m.TextBody?.Contains("reset-password?token=", StringComparison.Ordinal) == true);
        var token = Uri.UnescapeDataString(ResetToken().Match(mail.TextBody ?? string.Empty).Groups[1].Value);

        const string reset = "mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }";
        (await anonymous.SendAsync(reset, new { t = token, p = "weak" })).AssertError("BAD_USER_INPUT");
        Assert.True((await anonymous.DataAsync(reset, new { t = token, p = "brand-New-pass-9" })).GetProperty("resetPassword").GetBoolean());
        (await anonymous.SendAsync(reset, new { t = token, p = "another-New-pass-9" })).AssertError("BAD_USER_INPUT");
        (await anonymous.SendAsync(reset, new { t = "garbage", p = "another-New-pass-9" })).AssertError("BAD_USER_INPUT");

        (await client.SendAsync(Me)).AssertError("UNAUTHENTICATED", HttpStatusCode.Unauthorized);
        Assert.NotNull(await LoginAsync(anonymous, account.Username, "brand-New-pass-9"));
    }

    [Fact]
    public async Task Change_password_keeps_this_session_and_ends_the_others()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var other = fixture.CreateClient();
        other.Token = await LoginAsync(other, account.Username, account.Password);

        const string change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
        (await client.SendAsync(change, new { c = "not-the-Password-1", n = "brand-New-pass-9" })).AssertError("BAD_USER_INPUT");
        Assert.True((await client.DataAsync(change, new { c = account.Password, n = "brand-New-pass-9" })).GetProperty("changePassword").GetBoolean());
        await client.DataAsync(Me);
        (await other.SendAsync(Me)).AssertError("UNAUTHENTICATED", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Repeated_failed_logins_are_rate_limited_with_a_retry_time_but_cannot_lock_the_owner_out()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        var attacker = fixture.CreateClient();
        GraphQLResponse? last = null;
        for (var i = 0; i < 12; i++)
        {
            last = await attacker.SendAsync(
                "mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Username, password = $"guess-Number-{i}" } });
            if (last.ErrorCode == "RATE_LIMITED")
            {
                break;
            }

            last.AssertError("UNAUTHENTICATED");
        }

        last!.AssertError("RATE_LIMITED");
        var extensions = last.FirstError.GetProperty("extensions");
        Assert.InRange(extensions.GetProperty("retryAfterSeconds").GetInt32(), 1, 15 * 60);
        Assert.True(DateTimeOffset.Parse(extensions.GetProperty("retryAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
        // From the attacker's address even the right password waits...
        (await attacker.SendAsync("mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Username, password = account.Password } }))
            .AssertError("RATE_LIMITED");
        // ...but the limit is per account and address: the owner, elsewhere, signs in.
        var owner = fixture.CreateClient();
        Assert.NotEqual(attacker.ForwardedFor, owner.ForwardedFor);
        var signedIn = await owner.DataAsync("mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Username, password = account.Password } });
        Assert.False(string.IsNullOrEmpty(signedIn.GetProperty("login").GetProperty("token").GetString()));
    }

    [Fact]
    public async Task Browsers_are_signed_in_by_an_http_only_same_site_cookie()
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = fixture.Api.BaseAddress };
        var browser = new GraphQLClient(http);
        var account = await browser.RegisterAsync();
        browser.Token = null;

        var cookie = Assert.Single(cookies.GetAllCookies(), c => c.Name == "wg_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(account.Token, cookie.Value);
        Assert.Equal(account.Username, (await browser.DataAsync(Me)).GetProperty("me").GetProperty("username").GetString());
    }

    private static async Task<string> LoginAsync(GraphQLClient client, string login, string password)
    {
        var data = await client.DataAsync("mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login, password } });
        return data.GetProperty("login").GetProperty("token").GetString()!;
    }

    [GeneratedRegex(@"\d{6}")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"reset-password\?token=(\S+)")]
    private static partial Regex ResetToken();
}
