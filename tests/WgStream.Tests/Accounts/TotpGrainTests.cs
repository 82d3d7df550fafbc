using OtpNet;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Accounts;

[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class TotpGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Setup_hands_out_a_secret_and_an_otpauth_uri()
    {
        var user = await fixture.RegisterAsync();

        var setup = await user.Credentials.BeginTotpSetupAsync(user.Password);

        Assert.Equal(20, Base32Encoding.ToBytes(setup.Secret).Length);
        Assert.StartsWith($"otpauth://totp/WG-Stream:{user.Username}?", setup.OtpauthUri, StringComparison.Ordinal);
        Assert.Contains($"secret={setup.Secret}", setup.OtpauthUri, StringComparison.Ordinal);
        Assert.Contains("issuer=WG-Stream", setup.OtpauthUri, StringComparison.Ordinal);
        // Not on until confirmed: logging in still needs only the password.
        Assert.False((await user.Profile.GetProfileAsync())!.TotpEnabled);
        Assert.NotNull((await user.LoginAsync()).Token);
        // Starting again hands out a different secret.
        Assert.NotEqual(setup.Secret, (await user.Credentials.BeginTotpSetupAsync(user.Password)).Secret);
    }

    [Fact]
    public async Task Setup_needs_the_current_password_and_a_wrong_one_leaves_nothing_to_confirm()
    {
        var user = await fixture.RegisterAsync();

        await RefusedAsync(() => user.Credentials.BeginTotpSetupAsync("not-the-Password-1"), ErrorCodes.BadUserInput, "currentPassword");
        await RefusedAsync(() => user.Credentials.BeginTotpSetupAsync(string.Empty), ErrorCodes.BadUserInput, "currentPassword");

        // No secret was issued, so there is nothing a code could confirm.
        var refused = await Assert.ThrowsAsync<WgException>(() => user.Credentials.ConfirmTotpAsync("123456"));
        Assert.Contains("enableTotp first", refused.Message, StringComparison.Ordinal);
        Assert.False((await user.Profile.GetProfileAsync())!.TotpEnabled);
    }

    [Fact]
    public async Task Confirm_refuses_a_wrong_code_and_with_the_right_one_returns_ten_distinct_recovery_codes()
    {
        var user = await fixture.RegisterAsync();
        await RefusedAsync(() => user.Credentials.ConfirmTotpAsync("123456"), ErrorCodes.BadUserInput);
        var totp = new Totp(Base32Encoding.ToBytes((await user.Credentials.BeginTotpSetupAsync(user.Password)).Secret));
        var code = totp.ComputeTotp(DateTime.UtcNow);

        await RefusedAsync(() => user.Credentials.ConfirmTotpAsync(OtherCode(code)), ErrorCodes.BadUserInput, "code");
        Assert.False((await user.Profile.GetProfileAsync())!.TotpEnabled);

        var recoveryCodes = await user.Credentials.ConfirmTotpAsync(code);

        Assert.Equal(10, recoveryCodes.Count);
        Assert.Equal(10, recoveryCodes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(recoveryCodes, c => Assert.Matches("^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$", c));
        Assert.True((await user.Profile.GetProfileAsync())!.TotpEnabled);
        await RefusedAsync(() => user.Credentials.ConfirmTotpAsync(code), ErrorCodes.BadUserInput);
        await RefusedAsync(() => user.Credentials.BeginTotpSetupAsync(user.Password), ErrorCodes.BadUserInput);
    }

    [Fact]
    public async Task Login_needs_a_fresh_code_and_never_accepts_one_twice()
    {
        var user = await fixture.RegisterAsync();
        var totp = new Totp(Base32Encoding.ToBytes((await user.Credentials.BeginTotpSetupAsync(user.Password)).Secret));
        var confirmCode = totp.ComputeTotp(DateTime.UtcNow);
        await user.Credentials.ConfirmTotpAsync(confirmCode);

        var withoutCode = await user.LoginAsync();
        Assert.True(withoutCode.TotpRequired);
        Assert.Null(withoutCode.Token);
        Assert.Null(withoutCode.SessionId);
        Assert.Null(withoutCode.User);
        Assert.Empty(await user.Sessions.GetSessionsAsync());

        // The code that turned 2FA on has been used.
        await RefusedAsync(() => user.LoginAsync(confirmCode), ErrorCodes.Unauthenticated);

        // The next step's code is within the one-step window, so no need to wait 30 s.
        var next = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        await RefusedAsync(() => user.LoginAsync(next, password: "wrong-Horse-7"), ErrorCodes.Unauthenticated);
        var signedIn = await user.LoginAsync(next);
        Assert.False(signedIn.TotpRequired);
        Assert.NotNull(signedIn.Token);
        Assert.True(signedIn.User!.TotpEnabled);

        await RefusedAsync(() => user.LoginAsync(next), ErrorCodes.Unauthenticated);
        await RefusedAsync(() => user.LoginAsync(OtherCode(next)), ErrorCodes.Unauthenticated);
        Assert.Single(await user.Sessions.GetSessionsAsync());
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var user = await fixture.RegisterAsync();
        var totp = new Totp(Base32Encoding.ToBytes((await user.Credentials.BeginTotpSetupAsync(user.Password)).Secret));
        var recoveryCodes = await user.Credentials.ConfirmTotpAsync(totp.ComputeTotp(DateTime.UtcNow));

        Assert.NotNull((await user.LoginAsync(recoveryCodes[0])).Token);
        await RefusedAsync(() => user.LoginAsync(recoveryCodes[0]), ErrorCodes.Unauthenticated);

        // Typed in capitals and with stray spaces, the next one is still accepted, once.
        Assert.NotNull((await user.LoginAsync($" {recoveryCodes[1].ToUpperInvariant()} ")).Token);
        await RefusedAsync(() => user.LoginAsync(recoveryCodes[1]), ErrorCodes.Unauthenticated);

        await RefusedAsync(() => user.LoginAsync("aaaa-bbbb-cccc"), ErrorCodes.Unauthenticated);
        Assert.NotNull((await user.LoginAsync(recoveryCodes[9])).Token);
    }

    [Fact]
    public async Task Disable_needs_a_valid_second_factor_and_then_the_password_suffices()
    {
        var user = await fixture.RegisterAsync();
        await RefusedAsync(() => user.Credentials.DisableTotpAsync("123456"), ErrorCodes.BadUserInput);
        var totp = new Totp(Base32Encoding.ToBytes((await user.Credentials.BeginTotpSetupAsync(user.Password)).Secret));
        var confirmCode = totp.ComputeTotp(DateTime.UtcNow);
        var recoveryCodes = await user.Credentials.ConfirmTotpAsync(confirmCode);
        await user.LoginAsync(recoveryCodes[0]);

        await RefusedAsync(() => user.Credentials.DisableTotpAsync(confirmCode), ErrorCodes.BadUserInput, "code");
        await RefusedAsync(() => user.Credentials.DisableTotpAsync(recoveryCodes[0]), ErrorCodes.BadUserInput, "code");
        Assert.True((await user.Profile.GetProfileAsync())!.TotpEnabled);

        await user.Credentials.DisableTotpAsync(recoveryCodes[1]);

        Assert.False((await user.Profile.GetProfileAsync())!.TotpEnabled);
        var login = await user.LoginAsync();
        Assert.False(login.TotpRequired);
        Assert.NotNull(login.Token);
        // The old recovery codes died with it, and 2FA can be set up afresh.
        await RefusedAsync(() => user.Credentials.DisableTotpAsync(recoveryCodes[2]), ErrorCodes.BadUserInput);
        var again = new Totp(Base32Encoding.ToBytes((await user.Credentials.BeginTotpSetupAsync(user.Password)).Secret));
        Assert.Equal(10, (await user.Credentials.ConfirmTotpAsync(again.ComputeTotp(DateTime.UtcNow.AddSeconds(30)))).Count);
        Assert.True((await user.LoginAsync()).TotpRequired);
    }
}
