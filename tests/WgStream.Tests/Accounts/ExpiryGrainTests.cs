using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Accounts;

/// <summary>Sessions, e-mail codes and reset links end with their configured lifetimes (1.5 s here).</summary>
[Collection(ShortLifetimeClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ExpiryGrainTests(ShortLifetimeClusterFixture fixture)
{
    private static Task PastLifetimeAsync() => Task.Delay(ShortLifetimeClusterFixture.Lifetime + TimeSpan.FromMilliseconds(200));

    [Fact]
    public async Task An_expired_session_no_longer_authenticates_or_lists()
    {
        var user = await fixture.RegisterAsync();
        var (sessionId, secret) = SplitToken((await user.LoginAsync()).Token);
        var session = fixture.GrainFactory.GetGrain<ISessionGrain>(sessionId);
        Assert.NotNull(await session.AuthenticateAsync(secret, null));

        await PastLifetimeAsync();

        Assert.Null(await session.AuthenticateAsync(secret, null));
        Assert.Null(await session.GetInfoAsync());
        Assert.Empty(await user.Sessions.GetSessionsAsync());
    }

    [Fact]
    public async Task An_expired_e_mail_code_is_refused_and_a_new_one_works()
    {
        var user = await fixture.RegisterAsync();
        var code = await fixture.Mail.VerificationCodeAsync(user.Email);

        await PastLifetimeAsync();

        var expired = await RefusedAsync(() => user.Profile.VerifyEmailAsync(code), ErrorCodes.BadUserInput, "code");
        Assert.Contains("expired", expired.Message, StringComparison.OrdinalIgnoreCase);
        await user.Profile.ResendVerificationEmailAsync();
        Assert.True((await user.Profile.VerifyEmailAsync(await fixture.Mail.VerificationCodeAsync(user.Email, nth: 2))).EmailVerified);
    }

    [Fact]
    public async Task An_expired_reset_link_is_refused()
    {
        var user = await fixture.RegisterAsync();
        await user.Credentials.RequestPasswordResetAsync("en");
        var secret = ResetSecret(user, await fixture.Mail.ResetTokenAsync(user.Email, 2));

        await PastLifetimeAsync();

        await RefusedAsync(() => user.Credentials.ResetPasswordAsync(secret, "brand-New-Pass-42"), ErrorCodes.BadUserInput, "token");
        Assert.NotNull((await user.LoginAsync()).Token);
    }
}
