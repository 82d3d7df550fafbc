using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Accounts;

/// <summary>
/// The account registry (usernames and e-mails in <c>accounts</c>) and the user grain's state are
/// two writes (issue 15): a registration, rename or e-mail change that stops between them must not
/// leave a name claimed by nobody, or an account known by one name there and another here.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AccountClaimDriftGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Names_claimed_by_a_registration_that_died_before_the_user_state_are_released_to_the_next_claimant()
    {
        // What a silo that stopped right after the claim leaves: a pending claim, no user grain state.
        var username = NewUsername();
        var email = $"{NewUsername()}@example.test";
        await InsertPendingClaimAsync(Guid.NewGuid(), username, $"{NewUsername()}@example.test", TimeSpan.FromHours(1));
        await InsertPendingClaimAsync(Guid.NewGuid(), NewUsername(), email, TimeSpan.FromHours(1));

        var grain = fixture.UserGrains(Guid.NewGuid());
        var profile = await grain.Lifecycle.RegisterAsync(new RegisterCommand(username, email, Password, "en"));

        Assert.Equal(username, profile.Username);
        Assert.Equal(grain.Id, await fixture.GrainFactory.GetGrain<IAccountLookupGrain>(0).FindAsync(username));
        Assert.Equal(grain.Id, await fixture.GrainFactory.GetGrain<IAccountLookupGrain>(0).FindAsync(email));
        Assert.NotNull((await grain.Credentials.LoginAsync(new LoginCommand(Password, null, Client))).Token);
        Assert.NotNull(await fixture.ScalarAsync<DateTime?>("SELECT confirmed_at FROM accounts WHERE user_id = @id", grain.Id));
    }

    [Fact]
    public async Task A_recent_pending_claim_and_a_pending_claim_of_a_real_account_still_hold_their_names()
    {
        // Recent: its registration may still be running.
        var recent = NewUsername();
        await InsertPendingClaimAsync(Guid.NewGuid(), recent, $"{recent}@example.test", TimeSpan.Zero);
        await RefusedAsync(
            () => fixture.UserGrains(Guid.NewGuid()).Lifecycle.RegisterAsync(new RegisterCommand(recent, $"{NewUsername()}@example.test", Password, "en")),
            ErrorCodes.BadUserInput,
            "username");

        // Old but real: only its confirmation was lost. It keeps the name, and is confirmed now.
        var user = await fixture.RegisterAsync();
        await fixture.ExecuteAsync("UPDATE accounts SET confirmed_at = NULL, created_at = now() - interval '1 hour' WHERE user_id = @id", user.Id);
        await RefusedAsync(
            () => fixture.UserGrains(Guid.NewGuid()).Lifecycle.RegisterAsync(new RegisterCommand(user.Username, $"{NewUsername()}@example.test", Password, "en")),
            ErrorCodes.BadUserInput,
            "username");
        Assert.NotNull(await fixture.ScalarAsync<DateTime?>("SELECT confirmed_at FROM accounts WHERE user_id = @id", user.Id));
        Assert.NotNull((await user.LoginAsync()).Token);
    }

    [Fact]
    public async Task A_registration_whose_state_write_fails_gives_its_names_back_at_once()
    {
        var id = Guid.NewGuid();
        var grain = fixture.UserGrains(id);
        var username = NewUsername();
        var email = $"{username}@example.test";
        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "orleans_storage", UserRowCondition(id)))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => grain.Lifecycle.RegisterAsync(new RegisterCommand(username, email, Password, "en")));
        }

        Assert.Null(await grain.Profile.GetProfileAsync());
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM accounts WHERE user_id = @id", id));
        var other = await fixture.UserGrains(Guid.NewGuid()).Lifecycle.RegisterAsync(new RegisterCommand(username, email, Password, "en"));
        Assert.Equal(username, other.Username);
    }

    [Fact]
    public async Task A_username_change_that_stopped_after_the_registry_moved_the_name_is_finished_on_activation()
    {
        var user = await fixture.RegisterAsync();
        var newName = NewUsername();
        // The pending write goes through; the one that would complete the change does not.
        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "orleans_storage", CompletingWriteCondition(user.Id, "PendingUsername", newName)))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => user.Profile.ChangeUsernameAsync(newName, user.Password, null));
        }

        Assert.Equal(user.Id, await fixture.GrainFactory.GetGrain<IAccountLookupGrain>(0).FindAsync(newName));
        await fixture.DeactivateOneAsync(user.Activation);

        Assert.Equal(newName, (await user.Profile.GetProfileAsync())!.Username);
        Assert.Equal(newName, (await fixture.GrainFactory.GetGrain<IChannelGrain>(user.Id).GetAsync())!.Username);
        Assert.Equal(newName, (await user.Profile.GetChatIdentityAsync())!.Username);
    }

    [Fact]
    public async Task An_e_mail_change_that_stopped_after_the_registry_moved_the_address_is_finished_on_activation()
    {
        var user = await fixture.RegisterAsync();
        var newEmail = $"{NewUsername()}@example.test";
        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "orleans_storage", CompletingWriteCondition(user.Id, "PendingEmail", newEmail)))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => user.Profile.ChangeEmailAsync(newEmail, user.Password));
        }

        await fixture.DeactivateOneAsync(user.Activation);

        var profile = (await user.Profile.GetProfileAsync())!;
        Assert.Equal(newEmail, profile.Email);
        Assert.False(profile.EmailVerified);
        Assert.Equal(user.Id, await fixture.GrainFactory.GetGrain<IAccountLookupGrain>(0).FindAsync(newEmail));
        // The new address gets its verification code (the old one is no longer the account's).
        Assert.Matches("^[0-9]{6}$", await fixture.Mail.VerificationCodeAsync(newEmail));
    }

    [Fact]
    public async Task A_username_change_whose_registry_step_never_happened_is_dropped_on_activation()
    {
        var user = await fixture.RegisterAsync();
        var taken = await fixture.RegisterAsync();
        // Refused by the registry: nothing pending is left behind, the old name stays.
        await RefusedAsync(() => user.Profile.ChangeUsernameAsync(taken.Username, user.Password, null), ErrorCodes.BadUserInput, "newUsername");
        await fixture.DeactivateOneAsync(user.Activation);
        Assert.Equal(user.Username, (await user.Profile.GetProfileAsync())!.Username);
        Assert.Equal(user.Id, await fixture.GrainFactory.GetGrain<IAccountLookupGrain>(0).FindAsync(user.Username));
    }

    private async Task InsertPendingClaimAsync(Guid userId, string username, string email, TimeSpan age)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "INSERT INTO accounts (user_id, username, email, created_at) VALUES (@id, @username, @email, now() - @age)");
        command.Parameters.AddWithValue("id", userId);
        command.Parameters.AddWithValue("username", username);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("age", age);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The user grain's row of Orleans storage (keyed as PersistenceGrainTests reads it).</summary>
    private static string UserRowCondition(Guid userId)
    {
        var bytes = userId.ToByteArray();
        return $"NEW.grain_type_string = 'user' AND NEW.grain_id_n0 = {BitConverter.ToInt64(bytes, 0)} AND NEW.grain_id_n1 = {BitConverter.ToInt64(bytes, 8)}";
    }

    /// <summary>A write of the user's state that carries <paramref name="value"/> but not as the pending <paramref name="field"/>: the one completing the change.</summary>
    private static string CompletingWriteCondition(Guid userId, string field, string value) =>
        $"{UserRowCondition(userId)} AND position('{value}' in convert_from(NEW.payload_binary, 'UTF8')) > 0"
        + $" AND convert_from(NEW.payload_binary, 'UTF8') !~ '\"{field}\"\\s*:\\s*\"{value}\"'";
}
