using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Accounts;

[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class UserRegistrationGrainTests(ClusterFixture fixture)
{
    private UserGrains NewGrain() => fixture.UserGrains(Guid.NewGuid());

    // "{u}" stands for a fresh valid username, so a case that wrongly passes cannot claim a name another case uses.
    [Theory]
    [InlineData("ab", "{u}@example.test", "correct-Horse-7", "username")]
    [InlineData("has space", "{u}@example.test", "correct-Horse-7", "username")]
    [InlineData("name_that_is_far_too_long_x", "{u}@example.test", "correct-Horse-7", "username")]
    [InlineData("bad-dash", "{u}@example.test", "correct-Horse-7", "username")]
    [InlineData("", "{u}@example.test", "correct-Horse-7", "username")]
    [InlineData("{u}", "not-an-address", "correct-Horse-7", "email")]
    [InlineData("{u}", "{u}@localhost", "correct-Horse-7", "email")]
    [InlineData("{u}", "Someone <{u}@example.test>", "correct-Horse-7", "email")]
    [InlineData("{u}", "{u}@example.test", "short-1", "password")]
    [InlineData("{u}", "{u}@example.test", "onlyletters", "password")]
    [InlineData("{u}", "{u}@example.test", "1234567890", "password")]
    [InlineData("{u}", "{u}@example.test", "x{U}1", "password")]
    public async Task Register_rejects_bad_input_naming_the_field(string username, string email, string password, string field)
    {
        var fresh = NewUsername();
        string Fill(string s) => s.Replace("{u}", fresh, StringComparison.Ordinal).Replace("{U}", fresh.ToUpperInvariant(), StringComparison.Ordinal);
        var grain = NewGrain();

        await RefusedAsync(() => grain.Lifecycle.RegisterAsync(new RegisterCommand(Fill(username), Fill(email), Fill(password), "en")), ErrorCodes.BadUserInput, field);

        Assert.Null(await grain.Profile.GetProfileAsync());
    }

    [Fact]
    public async Task Register_trims_names_and_returns_the_profile()
    {
        var username = NewUsername();
        var grain = NewGrain();

        var profile = await grain.Lifecycle.RegisterAsync(new RegisterCommand($"  {username} ", $" {username}@example.test ", Password, "en"));

        Assert.Equal(username, profile.Username);
        Assert.Equal($"{username}@example.test", profile.Email);
        Assert.False(profile.EmailVerified);
        Assert.False(profile.TotpEnabled);
        Assert.True(DateTimeOffset.UtcNow - profile.CreatedAt < TimeSpan.FromMinutes(1));
        Assert.Equal(profile, await grain.Profile.GetProfileAsync());
    }

    [Fact]
    public async Task Usernames_and_e_mails_are_unique_across_accounts_ignoring_case()
    {
        var name = $"Dup_{Guid.NewGuid():N}"[..16];
        await fixture.RegisterAsync(name);

        var second = NewGrain();
        await RefusedAsync(
            () => second.Lifecycle.RegisterAsync(new RegisterCommand(name.ToLowerInvariant(), $"{NewUsername()}@example.test", Password, "en")),
            ErrorCodes.BadUserInput,
            "username");
        await RefusedAsync(
            () => second.Lifecycle.RegisterAsync(new RegisterCommand(NewUsername(), $"{name.ToUpperInvariant()}@EXAMPLE.TEST", Password, "en")),
            ErrorCodes.BadUserInput,
            "email");
        Assert.Null(await second.Profile.GetProfileAsync());

        // The refused attempts claimed nothing: the same grain can still register under free names.
        var other = NewUsername();
        var profile = await second.Lifecycle.RegisterAsync(new RegisterCommand(other, $"{other}@example.test", Password, "en"));
        Assert.Equal(other, profile.Username);
    }

    [Fact]
    public async Task A_second_registration_of_the_same_account_is_refused()
    {
        var user = await fixture.RegisterAsync();
        var other = NewUsername();

        await RefusedAsync(() => user.Lifecycle.RegisterAsync(new RegisterCommand(other, $"{other}@example.test", "another-Pass-9", "en")), ErrorCodes.BadUserInput);

        var profile = await user.Profile.GetProfileAsync();
        Assert.Equal(user.Username, profile!.Username);
        Assert.Equal(user.Email, profile.Email);
        await user.LoginAsync();
        // Nor was the other name claimed on the way.
        var third = NewGrain();
        await third.Lifecycle.RegisterAsync(new RegisterCommand(other, $"{other}@example.test", Password, "en"));
    }

    [Fact]
    public async Task Registration_e_mails_a_six_digit_code_that_verifies_the_address()
    {
        var user = await fixture.RegisterAsync();

        var mail = await fixture.Mail.NthMailAsync(user.Email, 1);
        Assert.Contains("verification code", mail.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(user.Username, mail.TextBody, StringComparison.Ordinal);
        var code = await fixture.Mail.VerificationCodeAsync(user.Email);
        Assert.Matches("^[0-9]{6}$", code);

        await RefusedAsync(() => user.Profile.VerifyEmailAsync(OtherCode(code)), ErrorCodes.BadUserInput, "code");
        Assert.False((await user.Profile.GetProfileAsync())!.EmailVerified);

        var verified = await user.Profile.VerifyEmailAsync($" {code} ");
        Assert.True(verified.EmailVerified);
        Assert.True((await user.Profile.GetProfileAsync())!.EmailVerified);
        await RefusedAsync(() => user.Profile.ResendVerificationEmailAsync(), ErrorCodes.BadUserInput);
    }

    [Fact]
    public async Task Ukrainian_accounts_get_the_code_in_Ukrainian()
    {
        var user = await fixture.RegisterAsync(language: "uk-UA");

        var mail = await fixture.Mail.NthMailAsync(user.Email, 1);
        Assert.StartsWith("Код підтвердження", mail.Subject, StringComparison.Ordinal);
        await user.Profile.VerifyEmailAsync(await fixture.Mail.VerificationCodeAsync(user.Email));
    }

    [Fact]
    public async Task The_right_code_still_works_after_one_wrong_code_fewer_than_the_limit()
    {
        var user = await fixture.RegisterAsync();
        var code = await fixture.Mail.VerificationCodeAsync(user.Email);

        for (var i = 0; i < 4; i++)
        {
            await RefusedAsync(() => user.Profile.VerifyEmailAsync(OtherCode(code)), ErrorCodes.BadUserInput, "code");
        }

        Assert.True((await user.Profile.VerifyEmailAsync(code)).EmailVerified);
    }

    [Fact]
    public async Task After_five_wrong_codes_even_the_right_one_is_refused_until_a_new_one_is_sent()
    {
        var user = await fixture.RegisterAsync();
        var code = await fixture.Mail.VerificationCodeAsync(user.Email);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await RefusedAsync(() => user.Profile.VerifyEmailAsync(OtherCode(code)), ErrorCodes.BadUserInput, "code");
            Assert.Contains("wrong", wrong.Message, StringComparison.OrdinalIgnoreCase);
        }

        var expired = await RefusedAsync(() => user.Profile.VerifyEmailAsync(code), ErrorCodes.BadUserInput, "code");
        Assert.Contains("expired", expired.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False((await user.Profile.GetProfileAsync())!.EmailVerified);

        await user.Profile.ResendVerificationEmailAsync();
        var fresh = await fixture.Mail.VerificationCodeAsync(user.Email, nth: 2);
        Assert.True((await user.Profile.VerifyEmailAsync(fresh)).EmailVerified);
    }

    [Fact]
    public async Task Resending_replaces_the_code()
    {
        var user = await fixture.RegisterAsync();
        var first = await fixture.Mail.VerificationCodeAsync(user.Email);

        await user.Profile.ResendVerificationEmailAsync();
        var second = await fixture.Mail.VerificationCodeAsync(user.Email, nth: 2);
        Assert.NotEqual(first, second);

        await RefusedAsync(() => user.Profile.VerifyEmailAsync(first), ErrorCodes.BadUserInput, "code");
        Assert.True((await user.Profile.VerifyEmailAsync(second)).EmailVerified);
    }

    [Fact]
    public async Task Account_operations_on_an_unregistered_grain_are_refused()
    {
        var grain = NewGrain();

        Assert.Null(await grain.Profile.GetProfileAsync());
        await RefusedAsync(() => grain.Profile.VerifyEmailAsync("123456"), ErrorCodes.NotFound);
        await RefusedAsync(() => grain.Profile.ResendVerificationEmailAsync(), ErrorCodes.NotFound);
        await RefusedAsync(() => grain.Credentials.BeginTotpSetupAsync(Password), ErrorCodes.NotFound);
        await RefusedAsync(() => grain.Credentials.LoginAsync(new LoginCommand(Password, null, Client)), ErrorCodes.Unauthenticated);
    }
}
