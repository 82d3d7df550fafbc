using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>
/// Moderator actions and their log entries when a write fails between them (a trigger refusing this
/// room's log rows stands for a silo that dies there): nothing is lost, and nothing is recorded twice.
/// </summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ModerationLogRecoveryGrainTests(ChatClusterFixture fixture)
{
    private const string LogRows = "SELECT count(*) FROM moderation_actions WHERE channel_id = @id";

    [Fact]
    public async Task Actions_whose_record_could_not_be_written_are_recorded_once_when_the_room_comes_back()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        var bystander = await fixture.RegisterAsync();
        await room.SendAsync(viewer, "spam 1");
        await room.SendAsync(viewer, "spam 2");
        await room.SendAsync(bystander, "hello");
        var logged = await fixture.CountAsync(LogRows, room.Id);

        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "moderation_actions", $"NEW.channel_id = '{room.Id}'"))
        {
            // Each action is done and durable though its record is refused; the moderator hears of the failure.
            await Assert.ThrowsAnyAsync<Exception>(() => room.Grain.AddBlockedTermAsync(moderator.Id, "scam*"));
            await Assert.ThrowsAnyAsync<Exception>(() => room.Grain.BanAsync(moderator.Id, viewer.Id, "spam"));
            await RefusedAsync(() => room.Grain.SendAsync(viewer.Id, "spam 3"), ErrorCodes.Forbidden);
            // The ban's chat write, which purges and records, was refused as a whole.
            Assert.Equal(2, await fixture.CountAsync($"SELECT count(*) FROM chat_messages WHERE channel_id = @id AND sender_id = '{viewer.Id}' AND deleted_at IS NULL", room.Id));
            // A retry of the term changes nothing and records nothing twice.
            Assert.Contains("scam*", await room.Grain.AddBlockedTermAsync(moderator.Id, "scam*"));
        }

        Assert.Equal(logged, await fixture.CountAsync(LogRows, room.Id));

        // The activation goes, as with a silo that died; the next one finishes what it left.
        await fixture.DeactivateAsync(room.Grain);
        var entries = (await fixture.GrainFactory.GetGrain<IModerationLogGrain>(0).ReadAsync(room.Id, room.Id, 10, null)).Edges.Select(e => e.Node).ToList();
        Assert.Equal([ModerationAction.Ban, ModerationAction.BlockedTermAdded], entries.Take(2).Select(e => e.Action));
        Assert.Equal((moderator.Id, (Guid?)viewer.Id, "spam"), (entries[0].ActorId, entries[0].TargetUserId, entries[0].Reason));
        Assert.Equal("scam*", entries[1].Details);
        Assert.Equal(logged + 2, await fixture.CountAsync(LogRows, room.Id));
        Assert.Equal(["hello"], await room.HistoryTextsAsync());
        Assert.Equal(0, await fixture.CountAsync($"SELECT count(*) FROM chat_messages WHERE channel_id = @id AND sender_id = '{viewer.Id}' AND deleted_at IS NULL", room.Id));
        Assert.NotNull((await room.Grain.GetStandingAsync(viewer.Id)).Ban);

        // And only once: a later activation has nothing left to write.
        await fixture.DeactivateAsync(room.Grain);
        await room.Grain.GetInfoAsync();
        Assert.Equal(logged + 2, await fixture.CountAsync(LogRows, room.Id));
    }

    [Fact]
    public async Task A_deletion_an_approval_and_a_denial_are_recorded_in_the_write_that_does_them_or_not_at_all()
    {
        var room = await fixture.NewRoomAsync();
        var viewer = await fixture.RegisterAsync();
        await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, null, null, null, null, AutoModLevel: AutoModLevel.High));
        var message = await room.SendAsync(viewer, "a fine message");
        var held = Guid.NewGuid();
        await RefusedAsync(() => room.Grain.SendAsync(viewer.Id, "you idiot", held), ErrorCodes.Held);
        var logged = await fixture.CountAsync(LogRows, room.Id);

        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "moderation_actions", $"NEW.channel_id = '{room.Id}'"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => room.Grain.DeleteMessageAsync(room.Id, message.Id));
            await Assert.ThrowsAnyAsync<Exception>(() => room.Grain.ApproveHeldMessageAsync(room.Id, held));
        }

        // Neither happened: the message is there, the held one still waits.
        await fixture.DeactivateAsync(room.Grain);
        Assert.Equal(["a fine message"], await room.HistoryTextsAsync());
        Assert.Equal(held, Assert.Single((await room.Grain.GetHeldMessagesAsync(room.Id, 10, null)).Edges).Node.Message.Id);
        Assert.Equal(logged, await fixture.CountAsync(LogRows, room.Id));

        await room.Grain.DenyHeldMessageAsync(room.Id, held);
        await room.Grain.DeleteMessageAsync(room.Id, message.Id);
        Assert.Equal(logged + 2, await fixture.CountAsync(LogRows, room.Id));
    }
}
