using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>Bans, timeouts and moderators: who may do what to whom, and when it takes effect.</summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatModerationGrainTests(ChatClusterFixture fixture)
{
    [Fact]
    public async Task A_ban_refuses_the_very_next_message_and_purges_the_users_messages_until_unbanned()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        var bystander = await fixture.RegisterAsync();
        var spam = new[] { await room.SendAsync(viewer, "buy now"), await room.SendAsync(viewer, "cheap!!!") };
        var fine = await room.SendAsync(bystander, "hi all");

        await RefusedAsync(() => room.Grain.BanAsync(bystander.Id, viewer.Id, null), ErrorCodes.Forbidden);
        await room.Grain.BanAsync(moderator.Id, viewer.Id, " spam\n links ");

        var refused = await RefusedAsync(() => room.SendAsync(viewer, "hello?"), ErrorCodes.Forbidden);
        Assert.Null(refused.Field);
        Assert.Null(refused.RetryAt);
        Assert.Contains("spam  links", refused.Message, StringComparison.Ordinal);
        var standing = await room.Grain.GetStandingAsync(viewer.Id);
        Assert.False(standing.IsBroadcaster || standing.IsModerator);
        Assert.NotNull(standing.Ban);
        Assert.Equal((viewer.Id, (DateTimeOffset?)null, "spam  links", moderator.Id), (standing.Ban.UserId, standing.Ban.Until, standing.Ban.Reason, standing.Ban.ByUserId));
        Assert.Equal([standing.Ban], (await room.Grain.GetInfoAsync()).Bans);
        Assert.Null((await room.Grain.GetStandingAsync(bystander.Id)).Ban);

        // Purged from memory and from the table; other people's messages stay.
        Assert.Equal(["hi all"], await room.HistoryTextsAsync());
        var stored = await fixture.StoredMessagesAsync(room.Id);
        Assert.True(stored[spam[0].Id] && stored[spam[1].Id]);
        Assert.False(stored[fine.Id]);

        await RefusedAsync(() => room.Grain.UnbanAsync(bystander.Id, viewer.Id), ErrorCodes.Forbidden);
        await room.Grain.UnbanAsync(moderator.Id, viewer.Id);
        await RefusedAsync(() => room.Grain.UnbanAsync(moderator.Id, viewer.Id), ErrorCodes.NotFound);
        Assert.Null((await room.Grain.GetStandingAsync(viewer.Id)).Ban);
        Assert.Empty((await room.Grain.GetInfoAsync()).Bans);
        await room.SendAsync(viewer, "sorry");
        Assert.Equal(["hi all", "sorry"], await room.HistoryTextsAsync());
    }

    [Fact]
    public async Task A_timeout_refuses_with_its_end_as_retry_time_and_then_expires()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        await room.SendAsync(viewer, "too loud");

        await RefusedAsync(() => room.Grain.TimeoutAsync(moderator.Id, viewer.Id, 0, null), ErrorCodes.BadUserInput, "seconds");
        await RefusedAsync(() => room.Grain.TimeoutAsync(moderator.Id, viewer.Id, 14 * 24 * 3600 + 1, null), ErrorCodes.BadUserInput, "seconds");
        Assert.Null((await room.Grain.GetStandingAsync(viewer.Id)).Ban);

        var before = DateTimeOffset.UtcNow;
        await room.Grain.TimeoutAsync(moderator.Id, viewer.Id, 1, "cool down");
        var after = DateTimeOffset.UtcNow;

        var refused = await RefusedAsync(() => room.SendAsync(viewer, "why"), ErrorCodes.Forbidden, "timeout");
        var until = (await room.Grain.GetStandingAsync(viewer.Id)).Ban?.Until;
        Assert.NotNull(until);
        Assert.Equal(until, refused.RetryAt);
        Assert.InRange(until.Value, before.AddSeconds(1), after.AddSeconds(1));
        Assert.Contains("cool down", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await room.HistoryTextsAsync());

        await WaitUntilAsync(until.Value);

        Assert.Null((await room.Grain.GetStandingAsync(viewer.Id)).Ban);
        Assert.Empty((await room.Grain.GetInfoAsync()).Bans);
        await room.SendAsync(viewer, "back");
        Assert.Equal(["back"], await room.HistoryTextsAsync());

        // The run-out timeout is still in the room's stored state until the next restriction prunes it.
        const string mentions = "SELECT count(*) FROM orleans_storage WHERE position(convert_to(@id::text, 'UTF8') in payload_binary) > 0";
        var stored = await fixture.CountAsync(mentions, viewer.Id);
        var other = await fixture.RegisterAsync();
        await room.Grain.TimeoutAsync(moderator.Id, other.Id, 600, null);
        Assert.True(stored >= 1);
        Assert.Equal(stored - 1, await fixture.CountAsync(mentions, viewer.Id));
    }

    [Fact]
    public async Task Moderators_cannot_restrict_moderators_or_the_broadcaster_but_the_broadcaster_can_restrict_moderators()
    {
        var room = await fixture.NewRoomAsync();
        var first = await fixture.NewModeratorAsync(room);
        var second = await fixture.NewModeratorAsync(room);

        await RefusedAsync(() => room.Grain.BanAsync(first.Id, second.Id, null), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.TimeoutAsync(first.Id, second.Id, 60, null), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.BanAsync(first.Id, room.Id, null), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.TimeoutAsync(first.Id, room.Id, 60, null), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.BanAsync(room.Id, room.Id, null), ErrorCodes.Forbidden);
        Assert.Empty((await room.Grain.GetInfoAsync()).Bans);
        await room.SendAsync(second, "still here");

        await room.Grain.TimeoutAsync(room.Id, second.Id, 600, null);
        await RefusedAsync(() => room.SendAsync(second, "ouch"), ErrorCodes.Forbidden, "timeout");
        await room.Grain.BanAsync(room.Id, first.Id, null);
        await RefusedAsync(() => room.SendAsync(first, "ouch"), ErrorCodes.Forbidden);
        Assert.Equal(2, (await room.Grain.GetInfoAsync()).Bans.Count);
        Assert.Empty(await room.HistoryTextsAsync());
        await room.SendAsync(room.Owner, "the broadcaster always may");
    }

    [Fact]
    public async Task Only_the_broadcaster_appoints_and_removes_moderators()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();

        await RefusedAsync(() => room.Grain.AddModeratorAsync(moderator.Id, viewer.Id), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.AddModeratorAsync(viewer.Id, viewer.Id), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.RemoveModeratorAsync(moderator.Id, moderator.Id), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.AddModeratorAsync(room.Id, Guid.NewGuid()), ErrorCodes.NotFound);
        await RefusedAsync(() => room.Grain.AddModeratorAsync(room.Id, room.Id), ErrorCodes.BadUserInput, "userId");
        await RefusedAsync(() => room.Grain.RemoveModeratorAsync(room.Id, viewer.Id), ErrorCodes.NotFound);
        Assert.Equal([moderator.Id], (await room.Grain.GetInfoAsync()).Moderators);
        Assert.Equal(new ChatStanding(true, false, null), await room.Grain.GetStandingAsync(room.Id));
        Assert.Equal(new ChatStanding(false, true, null), await room.Grain.GetStandingAsync(moderator.Id));

        await room.Grain.AddModeratorAsync(room.Id, viewer.Id);
        await room.Grain.AddModeratorAsync(room.Id, viewer.Id);
        Assert.Equal(new[] { moderator.Id, viewer.Id }.Order(), (await room.Grain.GetInfoAsync()).Moderators.Order());

        await room.Grain.RemoveModeratorAsync(room.Id, moderator.Id);
        Assert.Equal([viewer.Id], (await room.Grain.GetInfoAsync()).Moderators);
        Assert.Equal(new ChatStanding(false, false, null), await room.Grain.GetStandingAsync(moderator.Id));
        // A former moderator has lost the powers, and the new one has them.
        var message = await room.SendAsync(room.Owner, "hello");
        await RefusedAsync(() => room.Grain.DeleteMessageAsync(moderator.Id, message.Id), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.BanAsync(moderator.Id, viewer.Id, null), ErrorCodes.Forbidden);
        await room.Grain.BanAsync(viewer.Id, moderator.Id, null);
    }

    [Fact]
    public async Task A_ban_that_empties_the_memory_buffer_leaves_the_older_history_readable()
    {
        var room = await fixture.NewRoomAsync();
        var spammer = await fixture.NewModeratorAsync(room);
        for (var i = 1; i <= 12; i++)
        {
            await room.SendAsync(room.Owner, $"m{i}");
        }

        for (var i = 0; i < ChatClusterFixture.HistorySize - 5; i++)
        {
            await room.SendAsync(spammer, $"spam {i}");
        }

        // The broadcaster bans the moderator: half of the memory buffer goes; the newest 8 are still there in the table.
        await room.Grain.BanAsync(room.Id, spammer.Id, null);
        var page = await room.Grain.GetHistoryAsync(8, null);
        Assert.Equal(Enumerable.Range(5, 8).Select(i => $"m{i}"), page.Messages.Select(m => m.Text));
        Assert.True(page.HasMore);

        var other = await fixture.NewRoomAsync();
        var flooder = await fixture.NewModeratorAsync(other);
        for (var i = 1; i <= 3; i++)
        {
            await other.SendAsync(other.Owner, $"m{i}");
        }

        for (var i = 0; i < ChatClusterFixture.HistorySize; i++)
        {
            await other.SendAsync(flooder, $"spam {i}");
        }

        // All of memory was the flooder's: what came before must not vanish with it.
        await other.Grain.BanAsync(other.Id, flooder.Id, null);
        var rest = await other.Grain.GetHistoryAsync(50, null);
        Assert.Equal(["m1", "m2", "m3"], rest.Messages.Select(m => m.Text));
        Assert.False(rest.HasMore);
    }
}
