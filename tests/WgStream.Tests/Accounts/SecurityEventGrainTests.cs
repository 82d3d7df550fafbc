using System.Threading.Channels;
using OtpNet;
using Orleans.Runtime;
using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Accounts;

/// <summary>The user grain announces security changes on the user's account stream; a client can follow them.</summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SecurityEventGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Logins_revocations_verification_and_2FA_changes_are_published_in_order()
    {
        var user = await fixture.RegisterAsync();
        await using var events = await SubscribeAsync(user.Id);

        var login = await user.LoginAsync();
        var newLogin = await events.NextAsync();
        Assert.Equal(SecurityEventKind.NewLogin, newLogin.Kind);
        Assert.Equal(user.Id, newLogin.UserId);
        Assert.Equal(login.SessionId, newLogin.SessionId);
        Assert.True(DateTimeOffset.UtcNow - newLogin.At < TimeSpan.FromMinutes(1));

        var totp = new Totp(Base32Encoding.ToBytes((await user.Credentials.BeginTotpSetupAsync(user.Password)).Secret));
        var recoveryCodes = await user.Credentials.ConfirmTotpAsync(totp.ComputeTotp(DateTime.UtcNow));
        var enabled = await events.NextAsync();
        Assert.Equal(SecurityEventKind.TotpEnabled, enabled.Kind);
        Assert.Equal(user.Id, enabled.UserId);

        await user.Profile.VerifyEmailAsync(await fixture.Mail.VerificationCodeAsync(user.Email));
        Assert.Equal(SecurityEventKind.EmailVerified, (await events.NextAsync()).Kind);

        await user.Sessions.RevokeSessionAsync(login.SessionId!);
        var revoked = await events.NextAsync();
        Assert.Equal(SecurityEventKind.SessionRevoked, revoked.Kind);
        Assert.Equal(login.SessionId, revoked.SessionId);

        await user.Credentials.DisableTotpAsync(recoveryCodes[0]);
        Assert.Equal(SecurityEventKind.TotpDisabled, (await events.NextAsync()).Kind);

        await events.AssertQuietAsync();
    }

    [Fact]
    public async Task Refused_attempts_publish_nothing_and_events_stay_with_their_account()
    {
        var user = await fixture.RegisterAsync();
        var other = await fixture.RegisterAsync();
        await using var events = await SubscribeAsync(user.Id);

        await RefusedAsync(() => user.LoginAsync(password: "wrong-Horse-7"), ErrorCodes.Unauthenticated);
        await RefusedAsync(() => user.Credentials.ConfirmTotpAsync("123456"), ErrorCodes.BadUserInput);
        await other.LoginAsync();
        await events.AssertQuietAsync();

        var login = await user.LoginAsync();
        var next = await events.NextAsync();
        Assert.Equal(SecurityEventKind.NewLogin, next.Kind);
        Assert.Equal(login.SessionId, next.SessionId);
    }

    [Fact]
    public async Task A_password_reset_announces_the_change()
    {
        var user = await fixture.RegisterAsync();
        await using var events = await SubscribeAsync(user.Id);
        await user.Credentials.RequestPasswordResetAsync("en");
        var secret = ResetSecret(user, await fixture.Mail.ResetTokenAsync(user.Email, 2));

        await user.Credentials.ResetPasswordAsync(secret, "brand-New-Pass-42");

        var changed = await events.NextAsync();
        Assert.Equal(SecurityEventKind.PasswordChanged, changed.Kind);
        Assert.Null(changed.SessionId);
    }

    [Fact]
    public async Task Every_ended_session_is_announced_cluster_wide()
    {
        var user = await fixture.RegisterAsync();
        var sessions = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            sessions.Add((await user.LoginAsync()).SessionId!);
        }

        var stream = fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<SessionRevoked>(StreamId.Create(StreamNames.SessionRevocations, StreamNames.SessionRevocationsKey));
        var channel = Channel.CreateUnbounded<SessionRevoked>();
        // Other tests end sessions too: keep only this user's.
        await using var revocations = new EventLog<SessionRevoked>(
            await stream.SubscribeAsync((e, _) => e.UserId == user.Id ? channel.Writer.WriteAsync(e).AsTask() : Task.CompletedTask),
            channel.Reader);

        await user.Sessions.RevokeSessionAsync(sessions[0]);
        Assert.Equal(new SessionRevoked(user.Id, sessions[0]), await revocations.NextAsync());

        await user.Sessions.RevokeOtherSessionsAsync(sessions[1]);
        var others = new[] { await revocations.NextAsync(), await revocations.NextAsync() };
        Assert.Equal(
            new[] { sessions[2], sessions[3] }.Order(StringComparer.Ordinal),
            others.Select(e => e.SessionId).Order(StringComparer.Ordinal));

        // Revoking an already ended session announces nothing new.
        await fixture.GrainFactory.GetGrain<ISessionGrain>(sessions[0]).RevokeAsync();
        await revocations.AssertQuietAsync();
    }

    private async Task<EventLog<SecurityEvent>> SubscribeAsync(Guid userId)
    {
        var stream = fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<SecurityEvent>(StreamId.Create(StreamNames.AccountEvents, userId));
        var channel = Channel.CreateUnbounded<SecurityEvent>();
        var handle = await stream.SubscribeAsync((e, _) => channel.Writer.WriteAsync(e).AsTask());
        return new EventLog<SecurityEvent>(handle, channel.Reader);
    }

    private sealed class EventLog<T>(StreamSubscriptionHandle<T> handle, ChannelReader<T> reader) : IAsyncDisposable
    {
        public async Task<T> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            try
            {
                return await reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {typeof(T).Name} within {Patience}.");
            }
        }

        /// <summary>Nothing (more) arrives within a short while.</summary>
        public async Task AssertQuietAsync()
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.False(reader.TryRead(out var unexpected), $"Unexpected event: {unexpected}");
        }

        public async ValueTask DisposeAsync() => await handle.UnsubscribeAsync();
    }
}
