using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Accounts;

[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class PasswordResetGrainTests(ClusterFixture fixture)
{
    private const string NewPassword = "brand-New-Pass-42";

    [Fact]
    public async Task The_reset_e_mail_carries_a_link_with_a_user_scoped_token()
    {
        var user = await fixture.RegisterAsync();

        await user.Credentials.RequestPasswordResetAsync("en");

        var mail = await fixture.Mail.NthMailAsync(user.Email, 2);
        Assert.Equal("Reset your WG-Stream password", mail.Subject);
        var token = await fixture.Mail.ResetTokenAsync(user.Email, 2);
        Assert.Contains(Uri.EscapeDataString(token), mail.HtmlBody, StringComparison.Ordinal);
        Assert.Matches($"^{user.Id:N}\\.[A-Za-z0-9_-]{{43}}$", token);
    }

    [Fact]
    public async Task Reset_works_once_signs_every_session_out_and_replaces_the_password()
    {
        var user = await fixture.RegisterAsync();
        var sessions = new[] { SplitToken((await user.LoginAsync()).Token), SplitToken((await user.LoginAsync()).Token) };
        var secret = await RequestResetAsync(user, nth: 2);

        await user.Credentials.ResetPasswordAsync(secret, NewPassword);

        foreach (var (id, sessionSecret) in sessions)
        {
            Assert.Null(await fixture.GrainFactory.GetGrain<ISessionGrain>(id).AuthenticateAsync(sessionSecret, null));
        }

        Assert.Empty(await user.Sessions.GetSessionsAsync());
        await RefusedAsync(() => user.LoginAsync(), ErrorCodes.Unauthenticated);
        Assert.NotNull((await user.LoginAsync(password: NewPassword)).Token);

        await RefusedAsync(() => user.Credentials.ResetPasswordAsync(secret, "third-Pass-77"), ErrorCodes.BadUserInput, "token");
        Assert.NotNull((await user.LoginAsync(password: NewPassword)).Token);
    }

    [Fact]
    public async Task A_password_that_breaks_the_policy_is_refused_and_the_link_stays_usable()
    {
        var user = await fixture.RegisterAsync();
        var (sessionId, sessionSecret) = SplitToken((await user.LoginAsync()).Token);
        var secret = await RequestResetAsync(user, nth: 2);

        await RefusedAsync(() => user.Credentials.ResetPasswordAsync(secret, "short-1"), ErrorCodes.BadUserInput, "newPassword");
        await RefusedAsync(() => user.Credentials.ResetPasswordAsync(secret, "onlyletters"), ErrorCodes.BadUserInput, "newPassword");
        await RefusedAsync(() => user.Credentials.ResetPasswordAsync(secret, $"{user.Username}-9"), ErrorCodes.BadUserInput, "newPassword");

        // Nothing changed: the old password and the session still work.
        Assert.NotNull(await fixture.GrainFactory.GetGrain<ISessionGrain>(sessionId).AuthenticateAsync(sessionSecret, null));
        Assert.NotNull((await user.LoginAsync()).Token);
        await user.Credentials.ResetPasswordAsync(secret, NewPassword);
        Assert.NotNull((await user.LoginAsync(password: NewPassword)).Token);
    }

    [Fact]
    public async Task A_wrong_or_superseded_token_is_refused()
    {
        var user = await fixture.RegisterAsync();
        await RefusedAsync(() => user.Credentials.ResetPasswordAsync("anything", NewPassword), ErrorCodes.BadUserInput, "token");

        var first = await RequestResetAsync(user, nth: 2);
        var second = await RequestResetAsync(user, nth: 3);

        await RefusedAsync(() => user.Credentials.ResetPasswordAsync(first, NewPassword), ErrorCodes.BadUserInput, "token");
        await RefusedAsync(() => user.Credentials.ResetPasswordAsync(second[..^1], NewPassword), ErrorCodes.BadUserInput, "token");
        // Another account's token does not open this one.
        var other = await fixture.RegisterAsync();
        var otherSecret = await RequestResetAsync(other, nth: 2);
        await RefusedAsync(() => user.Credentials.ResetPasswordAsync(otherSecret, NewPassword), ErrorCodes.BadUserInput, "token");

        await user.Credentials.ResetPasswordAsync(second, NewPassword);
        Assert.NotNull((await user.LoginAsync(password: NewPassword)).Token);
    }

    [Fact]
    public async Task Ukrainian_reset_e_mail_and_silence_for_unknown_accounts()
    {
        var user = await fixture.RegisterAsync();
        await user.Credentials.RequestPasswordResetAsync("uk");
        Assert.Equal("Скидання пароля WG-Stream", (await fixture.Mail.NthMailAsync(user.Email, 2)).Subject);

        var before = fixture.Mail.Messages.Count;
        var nobody = fixture.UserGrains(Guid.NewGuid());
        await nobody.Credentials.RequestPasswordResetAsync("en");
        Assert.Equal(before, fixture.Mail.Messages.Count);
        await RefusedAsync(() => nobody.Credentials.ResetPasswordAsync("anything", NewPassword), ErrorCodes.BadUserInput, "token");
        Assert.Null(await nobody.Profile.GetProfileAsync());
    }

    private async Task<string> RequestResetAsync(TestUser user, int nth)
    {
        await user.Credentials.RequestPasswordResetAsync("en");
        return ResetSecret(user, await fixture.Mail.ResetTokenAsync(user.Email, nth));
    }
}
