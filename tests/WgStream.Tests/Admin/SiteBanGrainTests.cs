using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Accounts;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Admin.SiteBanClusterFixture;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Admin;

/// <summary>
/// Site-wide bans: only operators ban, never themselves or another operator; a ban refuses sign-in
/// (with <c>ACCOUNT_BANNED</c> and the reason), revokes every session, refuses chat in every room
/// (also one already active) and ends the live broadcast; it is idempotent, audited, lifted by an
/// unban, and a ban whose effects were cut short is finished by the sweep.
/// </summary>
[Collection(SiteBanClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SiteBanGrainTests(SiteBanClusterFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public Task InitializeAsync() => fixture.EnsureOperatorsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private ISiteBanGrain Ban(Guid userId) => fixture.GrainFactory.GetGrain<ISiteBanGrain>(userId);

    private IServiceProvider SiloServices => ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;

    [Fact]
    public async Task Only_operators_ban_and_never_themselves_another_operator_or_without_a_reason()
    {
        var user = await fixture.RegisterAsync();
        var bystander = await fixture.RegisterAsync();

        await RefusedAsync(() => Ban(user.Id).BanAsync(bystander.Id, "spam"), ErrorCodes.Forbidden);
        await RefusedAsync(() => Ban(OperatorId).BanAsync(OperatorId, "oops"), ErrorCodes.BadUserInput, "userId");
        await RefusedAsync(() => Ban(OtherOperatorId).BanAsync(OperatorId, "rival"), ErrorCodes.BadUserInput, "userId");
        await RefusedAsync(() => Ban(user.Id).BanAsync(OperatorId, " \n\t "), ErrorCodes.BadUserInput, "reason");
        await RefusedAsync(() => Ban(user.Id).BanAsync(OperatorId, new string('x', 501)), ErrorCodes.BadUserInput, "reason");
        await RefusedAsync(() => Ban(Guid.NewGuid()).BanAsync(OperatorId, "who"), ErrorCodes.NotFound);
        await RefusedAsync(() => Ban(user.Id).UnbanAsync(OperatorId), ErrorCodes.NotFound);
        await RefusedAsync(() => Ban(user.Id).UnbanAsync(bystander.Id), ErrorCodes.Forbidden);

        // Nothing above banned anyone or wrote an audit line.
        Assert.NotNull((await user.LoginAsync()).Token);
        Assert.Null(await Ban(user.Id).GetAsync());
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM site_ban_audit WHERE user_id = @id", user.Id));
    }

    [Fact]
    public async Task A_ban_refuses_sign_in_with_the_reason_revokes_sessions_is_idempotent_and_an_unban_restores_sign_in()
    {
        var user = await fixture.RegisterAsync();
        var (sessionId, secret) = SplitToken((await user.LoginAsync()).Token);
        var session = fixture.GrainFactory.GetGrain<ISessionGrain>(sessionId);
        Assert.NotNull(await session.AuthenticateAsync(secret, null));

        var ban = await Ban(user.Id).BanAsync(OperatorId, "  spam in every chat \n");
        Assert.Equal((user.Id, "spam in every chat", OperatorId), (ban.UserId, ban.Reason, ban.BannedBy));
        Assert.Null(await session.AuthenticateAsync(secret, null));
        var refused = await RefusedAsync(() => user.LoginAsync(), ErrorCodes.AccountBanned);
        Assert.Contains("spam in every chat", refused.Message, StringComparison.Ordinal);
        // A wrong password says nothing about the ban.
        await RefusedAsync(() => user.LoginAsync(password: "wrong-Password-1"), ErrorCodes.Unauthenticated);

        // Again, by another operator: the ban in force stays as it was, and is audited once.
        var again = await Ban(user.Id).BanAsync(OtherOperatorId, "other reason");
        Assert.Equal(ban, again);
        Assert.Equal(ban, await Ban(user.Id).GetAsync());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM site_ban_audit WHERE user_id = @id", user.Id));
        Assert.True(await fixture.ScalarAsync<bool>("SELECT effects_applied FROM site_bans WHERE user_id = @id", user.Id));
        Assert.Contains(user.Id, (await fixture.GrainFactory.GetGrain<ISiteBanListGrain>(0).ListAsync(50, null)).Edges.Select(e => e.Node.UserId));

        await Ban(user.Id).UnbanAsync(OtherOperatorId);
        Assert.Null(await Ban(user.Id).GetAsync());
        Assert.NotNull((await user.LoginAsync()).Token);
        await RefusedAsync(() => Ban(user.Id).UnbanAsync(OperatorId), ErrorCodes.NotFound);
        Assert.DoesNotContain(user.Id, (await fixture.GrainFactory.GetGrain<ISiteBanListGrain>(0).ListAsync(50, null)).Edges.Select(e => e.Node.UserId));

        var audit = await fixture.GrainFactory.GetGrain<ISiteBanListGrain>(0).AuditAsync(user.Id, 10, null);
        Assert.Equal(
            [(SiteBanAction.Unban, OtherOperatorId, (string?)null), (SiteBanAction.Ban, OperatorId, "spam in every chat")],
            audit.Edges.Select(e => (e.Node.Action, e.Node.ActorId, e.Node.Reason)));
    }

    [Fact]
    public async Task Chat_is_refused_in_a_room_already_active_and_in_any_other_until_the_ban_is_lifted()
    {
        var room = await fixture.NewRoomAsync();
        var other = await fixture.NewRoomAsync();
        var user = await fixture.RegisterAsync();
        // The room is active and has the sender's identity cached.
        await room.SendAsync(user, "hello before");

        await Ban(user.Id).BanAsync(OperatorId, "raids");
        var refused = await RefusedAsync(() => room.SendAsync(user, "hello after"), ErrorCodes.AccountBanned);
        Assert.Contains("banned", refused.Message, StringComparison.Ordinal);
        await RefusedAsync(() => other.SendAsync(user, "elsewhere"), ErrorCodes.AccountBanned);
        Assert.DoesNotContain("hello after", await room.HistoryTextsAsync());

        await Ban(user.Id).UnbanAsync(OperatorId);
        Assert.Equal("back", (await room.SendAsync(user, "back")).Text);
    }

    [Fact]
    public async Task A_live_broadcast_is_ended_and_going_live_is_refused_while_banned()
    {
        var streamer = await fixture.RegisterAsync();
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(streamer.Id);
        var connection = new IngestConnection(IngestKind.LiveKit, $"ingress-{Guid.NewGuid():N}");
        var streamId = (await broadcaster.PublishAsync(connection, null)).StreamId!.Value;
        Assert.NotNull(await broadcaster.GetLiveAsync());
        Assert.NotNull(await broadcaster.GetIngestHealthAsync());

        await Ban(streamer.Id).BanAsync(OperatorId, "illegal stream");

        Assert.Null(await broadcaster.GetLiveAsync());
        Assert.Null(await broadcaster.GetIngestHealthAsync());
        var ended = await fixture.GrainFactory.GetGrain<IStreamGrain>(streamId).GetAsync();
        Assert.Equal(StreamEndReason.SiteBanned, ended!.EndReason);
        Assert.False(await fixture.ScalarAsync<bool>("SELECT is_live FROM channels WHERE channel_id = @id", streamer.Id));
        Assert.Equal(PublishOutcome.Banned, (await broadcaster.PublishAsync(connection with { Id = "again" }, null)).Outcome);

        await Ban(streamer.Id).UnbanAsync(OperatorId);
        Assert.Equal(PublishOutcome.Accepted, (await broadcaster.PublishAsync(connection with { Id = "after" }, null)).Outcome);
        await broadcaster.PublishDoneAsync(connection with { Id = "after" });
    }

    [Fact]
    public async Task A_ban_left_with_only_its_durable_write_by_a_dying_silo_is_finished_by_the_sweep()
    {
        var room = await fixture.NewRoomAsync();
        var user = await fixture.RegisterAsync();
        var (sessionId, secret) = SplitToken((await user.LoginAsync()).Token);
        await room.SendAsync(user, "before");

        // What a silo that died right after the row was written leaves behind: the row, no effect.
        await SiloServices.GetRequiredService<SiteBanStore>().BanAsync(user.Id, "cut short", OperatorId, DateTimeOffset.UtcNow);
        Assert.False(await fixture.ScalarAsync<bool>("SELECT effects_applied FROM site_bans WHERE user_id = @id", user.Id));

        await EventuallyAsync(async () => await fixture.ScalarAsync<bool>("SELECT effects_applied FROM site_bans WHERE user_id = @id", user.Id));
        await RefusedAsync(() => user.LoginAsync(), ErrorCodes.AccountBanned);
        Assert.Null(await fixture.GrainFactory.GetGrain<ISessionGrain>(sessionId).AuthenticateAsync(secret, null));
        await RefusedAsync(() => room.SendAsync(user, "after"), ErrorCodes.AccountBanned);
    }

    [Fact]
    public async Task A_ban_whose_effects_fail_stays_pending_and_is_finished_once_the_fault_is_gone()
    {
        var user = await fixture.RegisterAsync();
        var (sessionId, secret) = SplitToken((await user.LoginAsync()).Token);

        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "orleans_storage", UserRowCondition(user.Id)))
        {
            // The operator sees the failure; the ban itself is durable and audited.
            await Assert.ThrowsAnyAsync<Exception>(() => Ban(user.Id).BanAsync(OperatorId, "half"));
            Assert.NotNull(await Ban(user.Id).GetAsync());
            Assert.False(await fixture.ScalarAsync<bool>("SELECT effects_applied FROM site_bans WHERE user_id = @id", user.Id));
            await Task.Delay(SweepInterval * 2);
            Assert.False(await fixture.ScalarAsync<bool>("SELECT effects_applied FROM site_bans WHERE user_id = @id", user.Id));
        }

        await EventuallyAsync(async () => await fixture.ScalarAsync<bool>("SELECT effects_applied FROM site_bans WHERE user_id = @id", user.Id));
        Assert.Null(await fixture.GrainFactory.GetGrain<ISessionGrain>(sessionId).AuthenticateAsync(secret, null));
        await RefusedAsync(() => user.LoginAsync(), ErrorCodes.AccountBanned);

        // A retry by the operator is harmless: same ban, one audit line.
        await Ban(user.Id).BanAsync(OperatorId, "half");
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM site_ban_audit WHERE user_id = @id", user.Id));
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The sweep did not finish the ban in time.");
            await Task.Delay(100);
        }
    }

    private static string UserRowCondition(Guid userId)
    {
        var bytes = userId.ToByteArray();
        return $"NEW.grain_type_string = 'user' AND NEW.grain_id_n0 = {BitConverter.ToInt64(bytes, 0)} AND NEW.grain_id_n1 = {BitConverter.ToInt64(bytes, 8)}";
    }
}
