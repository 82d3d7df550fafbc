using System.Text.RegularExpressions;
using MimeKit;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Tests.Infrastructure;

/// <summary>The user grain's views for one user id, registered or not (they all address one activation).</summary>
public record UserGrains(Guid Id, IGrainFactory Factory)
{
    public IUserCredentialsGrain Credentials => Factory.GetGrain<IUserCredentialsGrain>(Id);

    public IUserSessionsGrain Sessions => Factory.GetGrain<IUserSessionsGrain>(Id);

    public IUserProfileGrain Profile => Factory.GetGrain<IUserProfileGrain>(Id);

    public IUserLifecycleGrain Lifecycle => Factory.GetGrain<IUserLifecycleGrain>(Id);

    /// <summary>The user grain's one activation, whichever view addresses it: for tests that deactivate it.</summary>
    public IAddressable Activation => Profile;
}

/// <summary>An account registered for a test.</summary>
public sealed record TestUser(Guid Id, IGrainFactory Factory, string Username, string Email, string Password) : UserGrains(Id, Factory);

/// <summary>Shortcuts for the account grain tests: fresh accounts, logins and expected refusals.</summary>
public static partial class GrainTestAccounts
{
    public const string Password = "correct-Horse-7";

    public static readonly ClientInfo Client = new("192.0.2.10", "grain-tests");

    public static string NewUsername() => $"u{Guid.NewGuid():N}"[..20];

    /// <summary>The user grain's views for <paramref name="id"/>, an account that need not exist.</summary>
    public static UserGrains UserGrains(this ClusterFixture fixture, Guid id) => new(id, fixture.GrainFactory);

    public static async Task<TestUser> RegisterAsync(this ClusterFixture fixture, string? username = null, string language = "en")
    {
        username ??= NewUsername();
        var email = $"{username.ToLowerInvariant()}@example.test";
        var id = Guid.NewGuid();
        var profile = await fixture.GrainFactory.GetGrain<IUserLifecycleGrain>(id).RegisterAsync(new RegisterCommand(username, email, Password, language));
        Assert.Equal(id, profile.Id);
        return new TestUser(id, fixture.GrainFactory, username, email, Password);
    }

    public static Task<LoginResult> LoginAsync(this TestUser user, string? totpCode = null, string? password = null) =>
        user.Credentials.LoginAsync(new LoginCommand(password ?? user.Password, totpCode, Client));

    /// <summary>Splits a <c>{sessionId}.{secret}</c> token.</summary>
    public static (string SessionId, string Secret) SplitToken(string? token)
    {
        Assert.NotNull(token);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        Assert.True(dot > 0 && dot < token.Length - 1, $"Not a session token: {token}");
        return (token[..dot], token[(dot + 1)..]);
    }

    /// <summary>Awaits a refusal and checks its code and (when given) its field.</summary>
    public static async Task<WgException> RefusedAsync(Func<Task> call, string code, string? field = null)
    {
        var e = await Assert.ThrowsAsync<WgException>(call);
        Assert.Equal(code, e.Code);
        if (field is not null)
        {
            Assert.Equal(field, e.Field);
        }

        return e;
    }

    /// <summary>Waits for the <paramref name="nth"/> (1-based) e-mail to <paramref name="to"/>.</summary>
    public static async Task<MimeMessage> NthMailAsync(this SmtpSink mail, string to, int nth)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var received = mail.Messages
                .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            if (received.Count >= nth)
            {
                return received[nth - 1];
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {received.Count} e-mail(s) to {to} arrived; waited for {nth}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The six-digit code of the <paramref name="nth"/> e-mail to <paramref name="to"/>, which must be a verification e-mail.</summary>
    public static async Task<string> VerificationCodeAsync(this SmtpSink mail, string to, int nth = 1)
    {
        var message = await mail.NthMailAsync(to, nth);
        var match = SixDigits().Match(message.Subject ?? string.Empty);
        Assert.True(match.Success, $"Not a verification e-mail: {message.Subject}");
        Assert.Contains(match.Value, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(match.Value, message.HtmlBody, StringComparison.Ordinal);
        return match.Value;
    }

    /// <summary>A six-digit code other than <paramref name="code"/>.</summary>
    public static string OtherCode(string code) =>
        ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The token in the reset link of the <paramref name="nth"/> e-mail to <paramref name="to"/>.</summary>
    public static async Task<string> ResetTokenAsync(this SmtpSink mail, string to, int nth)
    {
        var message = await mail.NthMailAsync(to, nth);
        var match = ResetLink().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, $"No reset link in:\n{message.TextBody}");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    /// <summary>The secret part of a <c>{userId:N}.{secret}</c> reset token.</summary>
    public static string ResetSecret(TestUser user, string token)
    {
        Assert.StartsWith($"{user.Id:N}.", token, StringComparison.Ordinal);
        return token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
    }

    [GeneratedRegex(@"https?://\S+/reset-password\?token=(\S+)")]
    private static partial Regex ResetLink();

    [GeneratedRegex(@"\b\d{6}\b")]
    public static partial Regex SixDigits();
}
