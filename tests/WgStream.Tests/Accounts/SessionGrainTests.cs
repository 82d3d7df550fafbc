using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Accounts;

[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SessionGrainTests(ClusterFixture fixture)
{
    private ISessionGrain Session(string id) => fixture.GrainFactory.GetGrain<ISessionGrain>(id);

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        var user = await fixture.RegisterAsync();

        var e = await RefusedAsync(() => user.LoginAsync(password: "wrong-Horse-7"), ErrorCodes.Unauthenticated);
        Assert.Null(e.Field);
        await RefusedAsync(() => user.LoginAsync(password: user.Password.ToUpperInvariant()), ErrorCodes.Unauthenticated);
        Assert.Empty(await user.Sessions.GetSessionsAsync());
    }

    [Fact]
    public async Task Login_returns_a_session_token_that_authenticates_only_with_its_secret()
    {
        var user = await fixture.RegisterAsync();

        var result = await user.LoginAsync();

        Assert.False(result.TotpRequired);
        Assert.Equal(user.Id, result.User!.Id);
        Assert.Equal(user.Username, result.User.Username);
        var (sessionId, secret) = SplitToken(result.Token);
        Assert.Equal(result.SessionId, sessionId);
        Assert.Equal($"{sessionId}.{secret}", result.Token);
        Assert.True(secret.Length >= 40, "The secret should carry 256 bits.");

        var principal = await Session(sessionId).AuthenticateAsync(secret, "192.0.2.11");
        Assert.Equal(new SessionPrincipal(user.Id, sessionId), principal);

        Assert.Null(await Session(sessionId).AuthenticateAsync(secret + "x", null));
        Assert.Null(await Session(sessionId).AuthenticateAsync(secret[..^1], null));
        Assert.Null(await Session(sessionId).AuthenticateAsync(string.Empty, null));
        // The secret is bound to its session id.
        var other = SplitToken((await user.LoginAsync()).Token);
        Assert.Null(await Session(other.SessionId).AuthenticateAsync(secret, null));
        Assert.Null(await Session(Guid.NewGuid().ToString("N")).AuthenticateAsync(secret, null));
    }

    [Fact]
    public async Task Every_login_opens_a_new_session()
    {
        var user = await fixture.RegisterAsync();

        var first = await user.LoginAsync();
        var second = await user.LoginAsync();

        Assert.NotEqual(first.SessionId, second.SessionId);
        Assert.NotEqual(SplitToken(first.Token).Secret, SplitToken(second.Token).Secret);
        Assert.NotNull(await Session(first.SessionId!).AuthenticateAsync(SplitToken(first.Token).Secret, null));
        Assert.NotNull(await Session(second.SessionId!).AuthenticateAsync(SplitToken(second.Token).Secret, null));
    }

    [Fact]
    public async Task A_revoked_session_no_longer_authenticates()
    {
        var user = await fixture.RegisterAsync();
        var (sessionId, secret) = SplitToken((await user.LoginAsync()).Token);
        Assert.NotNull(await Session(sessionId).AuthenticateAsync(secret, null));

        await user.Sessions.RevokeSessionAsync(sessionId);

        Assert.Null(await Session(sessionId).AuthenticateAsync(secret, null));
        Assert.Null(await Session(sessionId).GetInfoAsync());
        Assert.Empty(await user.Sessions.GetSessionsAsync());
        // Revoking again, or revoking a session of nobody's, is not found.
        await RefusedAsync(() => user.Sessions.RevokeSessionAsync(sessionId), ErrorCodes.NotFound);
        await RefusedAsync(() => user.Sessions.RevokeSessionAsync("no-such-session"), ErrorCodes.NotFound);
    }

    [Fact]
    public async Task A_user_cannot_revoke_another_users_session()
    {
        var owner = await fixture.RegisterAsync();
        var stranger = await fixture.RegisterAsync();
        var (sessionId, secret) = SplitToken((await owner.LoginAsync()).Token);

        await RefusedAsync(() => stranger.Sessions.RevokeSessionAsync(sessionId), ErrorCodes.NotFound);

        Assert.NotNull(await Session(sessionId).AuthenticateAsync(secret, null));
    }

    [Fact]
    public async Task GetSessions_lists_live_sessions_with_client_details_and_drops_revoked_ones()
    {
        var user = await fixture.RegisterAsync();
        var a = await user.LoginAsync();
        var b = await user.Credentials.LoginAsync(new LoginCommand(user.Password, null, new ClientInfo("198.51.100.7", "Browser/2")));
        var c = await user.LoginAsync();

        var sessions = await user.Sessions.GetSessionsAsync();
        Assert.Equal(
            new[] { a.SessionId, b.SessionId, c.SessionId }.Order(StringComparer.Ordinal),
            sessions.Select(s => s.Id).Order(StringComparer.Ordinal));
        var infoB = Assert.Single(sessions, s => s.Id == b.SessionId);
        Assert.Equal("198.51.100.7", infoB.IpAddress);
        Assert.Equal("Browser/2", infoB.UserAgent);
        Assert.True(infoB.LastSeenAt >= infoB.CreatedAt);

        // A session ended behind the user grain's back (straight on the session grain) drops out too.
        await Session(a.SessionId!).RevokeAsync();
        await user.Sessions.RevokeSessionAsync(c.SessionId!);

        var left = await user.Sessions.GetSessionsAsync();
        Assert.Equal(b.SessionId, Assert.Single(left).Id);
        await RefusedAsync(() => user.Sessions.RevokeSessionAsync(a.SessionId!), ErrorCodes.NotFound);
    }

    [Fact]
    public async Task RevokeOtherSessions_keeps_only_the_given_session()
    {
        var user = await fixture.RegisterAsync();
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            tokens.Add((await user.LoginAsync()).Token!);
        }

        var (keepId, keepSecret) = SplitToken(tokens[1]);

        Assert.Equal(2, await user.Sessions.RevokeOtherSessionsAsync(keepId));

        Assert.NotNull(await Session(keepId).AuthenticateAsync(keepSecret, null));
        foreach (var token in new[] { tokens[0], tokens[2] })
        {
            var (id, secret) = SplitToken(token);
            Assert.Null(await Session(id).AuthenticateAsync(secret, null));
        }

        Assert.Equal(keepId, Assert.Single(await user.Sessions.GetSessionsAsync()).Id);
        Assert.Equal(0, await user.Sessions.RevokeOtherSessionsAsync(keepId));
    }

    [Fact]
    public async Task A_session_id_is_never_reused()
    {
        var user = await fixture.RegisterAsync();
        var sessionId = (await user.LoginAsync()).SessionId!;

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Session(sessionId).OpenAsync(new OpenSessionCommand(Guid.NewGuid(), "hash", Client)));
    }

    [Fact]
    public async Task Changing_the_password_keeps_the_current_session_and_ends_the_others()
    {
        var user = await fixture.RegisterAsync();
        var (keepId, keepSecret) = SplitToken((await user.LoginAsync()).Token);
        var (otherId, otherSecret) = SplitToken((await user.LoginAsync()).Token);

        await RefusedAsync(() => user.Credentials.ChangePasswordAsync("wrong-Horse-7", "brand-New-Pass-42", keepId), ErrorCodes.BadUserInput, "currentPassword");
        await RefusedAsync(() => user.Credentials.ChangePasswordAsync(user.Password, "short-1", keepId), ErrorCodes.BadUserInput, "newPassword");
        Assert.NotNull(await Session(otherId).AuthenticateAsync(otherSecret, null));

        await user.Credentials.ChangePasswordAsync(user.Password, "brand-New-Pass-42", keepId);

        Assert.NotNull(await Session(keepId).AuthenticateAsync(keepSecret, null));
        Assert.Null(await Session(otherId).AuthenticateAsync(otherSecret, null));
        Assert.Equal(keepId, Assert.Single(await user.Sessions.GetSessionsAsync()).Id);
        await RefusedAsync(() => user.LoginAsync(), ErrorCodes.Unauthenticated);
        Assert.NotNull((await user.LoginAsync(password: "brand-New-Pass-42")).Token);
    }

    [Fact]
    public async Task The_account_lookup_finds_accounts_by_username_or_e_mail_ignoring_case()
    {
        var user = await fixture.RegisterAsync();
        var lookup = fixture.GrainFactory.GetGrain<IAccountLookupGrain>(0);

        Assert.Equal(user.Id, await lookup.FindAsync(user.Username));
        Assert.Equal(user.Id, await lookup.FindAsync(user.Username.ToUpperInvariant()));
        Assert.Equal(user.Id, await lookup.FindAsync(user.Email.ToUpperInvariant()));
        Assert.Null(await lookup.FindAsync(NewUsername()));
        Assert.Null(await lookup.FindAsync($"{NewUsername()}@example.test"));
        // An e-mail is never matched against usernames, nor the other way round.
        Assert.Null(await lookup.FindAsync(user.Email.Split('@')[0] + "@"));
    }
}
