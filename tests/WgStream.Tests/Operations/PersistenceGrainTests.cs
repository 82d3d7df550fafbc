using System.Text.Json;
using OtpNet;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Operations;

/// <summary>Account state lives in PostgreSQL, not in the activation: it survives deactivation.</summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class PersistenceGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Accounts_and_sessions_survive_deactivation()
    {
        var user = await fixture.RegisterAsync();
        var verified = await user.Profile.VerifyEmailAsync(await fixture.Mail.VerificationCodeAsync(user.Email));
        var (sessionId, secret) = SplitToken((await user.LoginAsync()).Token);
        var session = fixture.GrainFactory.GetGrain<ISessionGrain>(sessionId);

        await fixture.DeactivateAsync(user.Activation, session);

        Assert.Equal(verified, await user.Profile.GetProfileAsync());
        Assert.Equal(new SessionPrincipal(user.Id, sessionId), await session.AuthenticateAsync(secret, null));
        Assert.Equal(sessionId, Assert.Single(await user.Sessions.GetSessionsAsync()).Id);
        Assert.NotNull((await user.LoginAsync()).Token);
        await RefusedAsync(() => user.LoginAsync(password: "wrong-Horse-7"), ErrorCodes.Unauthenticated);
        // Uniqueness is durable too: a new account cannot take the name.
        var copycat = fixture.UserGrains(Guid.NewGuid());
        await RefusedAsync(
            () => copycat.Lifecycle.RegisterAsync(new RegisterCommand(user.Username, $"{NewUsername()}@example.test", Password, "en")),
            ErrorCodes.BadUserInput,
            "username");
    }

    [Fact]
    public async Task Grain_state_is_stored_as_rows_of_orleans_storage()
    {
        var user = await fixture.RegisterAsync();
        var sessionId = (await user.LoginAsync()).SessionId!;

        var bytes = user.Id.ToByteArray();
        await using var userRow = fixture.Database.DataSource.CreateCommand("""
            SELECT convert_from(payload_binary, 'UTF8'), version FROM orleans_storage
             WHERE service_id = @service AND grain_type_string = 'user'
               AND grain_id_n0 = @n0 AND grain_id_n1 = @n1 AND grain_id_extension_string = ''
            """);
        userRow.Parameters.AddWithValue("service", fixture.ServiceId);
        userRow.Parameters.AddWithValue("n0", BitConverter.ToInt64(bytes, 0));
        userRow.Parameters.AddWithValue("n1", BitConverter.ToInt64(bytes, 8));
        var (userJson, userVersion) = await SingleRowAsync(userRow);
        Assert.Equal(user.Username, userJson.GetProperty("Username").GetString());
        Assert.Equal(user.Email, userJson.GetProperty("Email").GetString());
        Assert.StartsWith("$argon2id$", userJson.GetProperty("PasswordHash").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(user.Password, userJson.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(sessionId, Values(userJson.GetProperty("SessionIds")).Select(e => e.GetString()));
        Assert.Equal(2, userVersion); // registered, then the session index written at login

        await using var sessionRow = fixture.Database.DataSource.CreateCommand("""
            SELECT convert_from(payload_binary, 'UTF8'), version FROM orleans_storage
             WHERE service_id = @service AND grain_type_string = 'session' AND grain_id_extension_string = @id
            """);
        sessionRow.Parameters.AddWithValue("service", fixture.ServiceId);
        sessionRow.Parameters.AddWithValue("id", sessionId);
        var (sessionJson, _) = await SingleRowAsync(sessionRow);
        Assert.Equal(user.Id, sessionJson.GetProperty("UserId").GetGuid());
        // Default values (Revoked = false) may be left out of the JSON.
        Assert.False(sessionJson.TryGetProperty("Revoked", out var revoked) && revoked.GetBoolean());

        // Revoking erases the session: the row keeps no payload (the token, address and agent are gone).
        await user.Sessions.RevokeSessionAsync(sessionId);
        await using (var erased = await sessionRow.ExecuteReaderAsync())
        {
            Assert.True(!await erased.ReadAsync() || await erased.IsDBNullAsync(0), "A revoked session's state is still stored.");
        }

        Assert.DoesNotContain(await user.Sessions.GetSessionsAsync(), s => s.Id == sessionId);

        await using var registry = fixture.Database.DataSource.CreateCommand("SELECT username, email FROM accounts WHERE user_id = @id");
        registry.Parameters.AddWithValue("id", user.Id);
        await using var reader = await registry.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(user.Username, reader.GetString(0));
        Assert.Equal(user.Email, reader.GetString(1));
    }

    [Fact]
    public async Task Used_second_factors_stay_used_after_deactivation()
    {
        var user = await fixture.RegisterAsync();
        var totp = new Totp(Base32Encoding.ToBytes((await user.Credentials.BeginTotpSetupAsync(user.Password)).Secret));
        var recoveryCodes = await user.Credentials.ConfirmTotpAsync(totp.ComputeTotp(DateTime.UtcNow));
        var next = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        await user.LoginAsync(next);
        await user.LoginAsync(recoveryCodes[0]);

        await fixture.DeactivateAsync(user.Activation);

        Assert.True((await user.LoginAsync()).TotpRequired);
        await RefusedAsync(() => user.LoginAsync(next), ErrorCodes.Unauthenticated);
        await RefusedAsync(() => user.LoginAsync(recoveryCodes[0]), ErrorCodes.Unauthenticated);
        Assert.NotNull((await user.LoginAsync(recoveryCodes[1])).Token);
    }

    [Fact]
    public async Task A_pending_verification_code_and_its_attempts_survive_deactivation()
    {
        var user = await fixture.RegisterAsync();
        var code = await fixture.Mail.VerificationCodeAsync(user.Email);
        for (var i = 0; i < 4; i++)
        {
            await RefusedAsync(() => user.Profile.VerifyEmailAsync(OtherCode(code)), ErrorCodes.BadUserInput, "code");
        }

        await fixture.DeactivateAsync(user.Activation);

        // The fifth wrong code is the last one allowed: the attempt count was not reset by the restart.
        await RefusedAsync(() => user.Profile.VerifyEmailAsync(OtherCode(code)), ErrorCodes.BadUserInput, "code");
        var expired = await RefusedAsync(() => user.Profile.VerifyEmailAsync(code), ErrorCodes.BadUserInput, "code");
        Assert.Contains("expired", expired.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The items of a JSON list, which the storage serializer may wrap as <c>{"$type": …, "$values": […]}</c>.</summary>
    private static JsonElement.ArrayEnumerator Values(JsonElement list) =>
        (list.ValueKind == JsonValueKind.Object ? list.GetProperty("$values") : list).EnumerateArray();

    private static async Task<(JsonElement Payload, int Version)> SingleRowAsync(Npgsql.NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "No grain state row.");
        var payload = JsonDocument.Parse(reader.GetString(0)).RootElement.Clone();
        var version = reader.GetInt32(1);
        Assert.False(await reader.ReadAsync(), "More than one grain state row.");
        return (payload, version);
    }
}
