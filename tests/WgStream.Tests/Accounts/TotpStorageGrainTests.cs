using System.Text.Json.Nodes;
using OtpNet;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Accounts;

/// <summary>
/// TOTP secrets are stored encrypted (AES-256-GCM under <c>Streams:KeyEncryptionKey</c>, like stream
/// keys): the user's row in <c>orleans_storage</c> never holds the secret, codes still work after
/// the grain is reactivated from that row, and rows written before encryption are migrated.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class TotpStorageGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_stored_row_never_holds_the_secret_and_codes_work_after_reactivation()
    {
        var user = await fixture.RegisterAsync();
        var setup = await user.Credentials.BeginTotpSetupAsync(user.Password);

        var pending = await ReadRowAsync(user);
        AssertHoldsNoSecret(pending, setup.Secret);
        Assert.NotNull(pending["PendingTotpSecretCiphertext"]);

        var totp = new Totp(Base32Encoding.ToBytes(setup.Secret));
        var recoveryCodes = await user.Credentials.ConfirmTotpAsync(totp.ComputeTotp(DateTime.UtcNow));

        var enabled = await ReadRowAsync(user);
        AssertHoldsNoSecret(enabled, setup.Secret);
        Assert.NotNull(enabled["TotpSecretCiphertext"]);
        Assert.Null(enabled["PendingTotpSecretCiphertext"]);
        Assert.True(enabled["TotpEnabled"]!.GetValue<bool>());

        await fixture.DeactivateAsync(user.Activation);

        // The new activation reads the ciphertext back and checks codes with it.
        Assert.True((await user.LoginAsync()).TotpRequired);
        await RefusedAsync(() => user.LoginAsync(OtherCode(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)))), ErrorCodes.Unauthenticated);
        Assert.NotNull((await user.LoginAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)))).Token);
        Assert.NotNull((await user.LoginAsync(recoveryCodes[0])).Token);
        AssertHoldsNoSecret(await ReadRowAsync(user), setup.Secret);
    }

    [Fact]
    public async Task A_ciphertext_copied_to_another_users_row_does_not_open()
    {
        var victim = await fixture.RegisterAsync();
        var victimTotp = new Totp(Base32Encoding.ToBytes((await victim.Credentials.BeginTotpSetupAsync(victim.Password)).Secret));
        await victim.Credentials.ConfirmTotpAsync(victimTotp.ComputeTotp(DateTime.UtcNow));
        var attacker = await fixture.RegisterAsync();
        var attackerTotp = new Totp(Base32Encoding.ToBytes((await attacker.Credentials.BeginTotpSetupAsync(attacker.Password)).Secret));
        await attacker.Credentials.ConfirmTotpAsync(attackerTotp.ComputeTotp(DateTime.UtcNow));

        // Someone with write access to the table pastes the victim's ciphertext into their own row.
        await fixture.DeactivateAsync(attacker.Activation);
        var row = await ReadRowAsync(attacker);
        row["TotpSecretCiphertext"] = (await ReadRowAsync(victim))["TotpSecretCiphertext"]!.DeepClone();
        await WriteRowAsync(attacker, row);

        // The ciphertext is bound to its owner: it does not decrypt as the attacker's secret.
        await Assert.ThrowsAnyAsync<Exception>(() => attacker.LoginAsync(victimTotp.ComputeTotp(DateTime.UtcNow.AddSeconds(30))));
        // The victim's own codes are unaffected.
        Assert.NotNull((await victim.LoginAsync(victimTotp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)))).Token);
    }

    [Fact]
    public async Task A_plain_secret_from_before_encryption_is_encrypted_when_the_grain_activates()
    {
        var user = await fixture.RegisterAsync();
        var secret = (await user.Credentials.BeginTotpSetupAsync(user.Password)).Secret;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await user.Credentials.ConfirmTotpAsync(totp.ComputeTotp(DateTime.UtcNow));
        var starting = await fixture.RegisterAsync();
        var pendingSecret = (await starting.Credentials.BeginTotpSetupAsync(starting.Password)).Secret;

        // Turn both rows into what the previous version wrote: the secret in plain text.
        await fixture.DeactivateAsync(user.Activation, starting.Activation);
        var legacy = await ReadRowAsync(user);
        legacy.Remove("TotpSecretCiphertext");
        legacy["TotpSecret"] = secret;
        // No code used yet, so this test can sign in now and once more a step later.
        legacy["LastTotpStep"] = 0;
        await WriteRowAsync(user, legacy);
        var legacyPending = await ReadRowAsync(starting);
        legacyPending.Remove("PendingTotpSecretCiphertext");
        legacyPending["PendingTotpSecret"] = pendingSecret;
        await WriteRowAsync(starting, legacyPending);
        Assert.Contains(secret, (await ReadRowAsync(user)).ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(pendingSecret, (await ReadRowAsync(starting)).ToJsonString(), StringComparison.Ordinal);

        // The old secret still signs in, and the activation that read it rewrote the row encrypted.
        Assert.True((await user.LoginAsync()).TotpRequired);
        Assert.NotNull((await user.LoginAsync(totp.ComputeTotp(DateTime.UtcNow))).Token);
        var migrated = await ReadRowAsync(user);
        AssertHoldsNoSecret(migrated, secret);
        Assert.NotNull(migrated["TotpSecretCiphertext"]);

        // A pending setup carries over too: the code from the authenticator confirms it.
        var pendingTotp = new Totp(Base32Encoding.ToBytes(pendingSecret));
        Assert.Equal(10, (await starting.Credentials.ConfirmTotpAsync(pendingTotp.ComputeTotp(DateTime.UtcNow))).Count);
        AssertHoldsNoSecret(await ReadRowAsync(starting), pendingSecret);

        // And it stays migrated across another reactivation.
        await fixture.DeactivateAsync(user.Activation);
        Assert.NotNull((await user.LoginAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)))).Token);
        AssertHoldsNoSecret(await ReadRowAsync(user), secret);
    }

    /// <summary>Neither the base32 secret (in any case) nor its raw bytes (as the JSON's base64) are in the row.</summary>
    private static void AssertHoldsNoSecret(JsonObject row, string secret)
    {
        var json = row.ToJsonString();
        Assert.DoesNotContain(secret, json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(Base32Encoding.ToBytes(secret))[..20], json, StringComparison.Ordinal);
        Assert.True(row["TotpSecret"] is null, "A plain TotpSecret is stored.");
        Assert.True(row["PendingTotpSecret"] is null, "A plain PendingTotpSecret is stored.");
    }

    private async Task<JsonObject> ReadRowAsync(TestUser user)
    {
        await using var command = fixture.Database.DataSource.CreateCommand($"SELECT convert_from(payload_binary, 'UTF8') FROM orleans_storage WHERE {RowFilter}");
        AddKey(command, user);
        var json = (string?)await command.ExecuteScalarAsync();
        Assert.NotNull(json);
        return JsonNode.Parse(json)!.AsObject();
    }

    /// <summary>Replaces the payload in place (same version), as if an older build had written it.</summary>
    private async Task WriteRowAsync(TestUser user, JsonObject row)
    {
        await using var command = fixture.Database.DataSource.CreateCommand($"UPDATE orleans_storage SET payload_binary = convert_to(@json, 'UTF8') WHERE {RowFilter}");
        AddKey(command, user);
        command.Parameters.AddWithValue("json", row.ToJsonString());
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private const string RowFilter = """
        service_id = @service AND grain_type_string = 'user'
        AND grain_id_n0 = @n0 AND grain_id_n1 = @n1 AND grain_id_extension_string = ''
        """;

    private void AddKey(Npgsql.NpgsqlCommand command, TestUser user)
    {
        var bytes = user.Id.ToByteArray();
        command.Parameters.AddWithValue("service", fixture.ServiceId);
        command.Parameters.AddWithValue("n0", BitConverter.ToInt64(bytes, 0));
        command.Parameters.AddWithValue("n1", BitConverter.ToInt64(bytes, 8));
    }
}
