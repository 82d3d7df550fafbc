using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>Blocked terms, VIPs and the moderation log, in the room grain with its real storage.</summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatSafetyGrainTests(ChatClusterFixture fixture)
{
    [Fact]
    public async Task A_blocked_term_refuses_the_message_with_a_reason_for_viewers_but_not_for_moderators_and_survives_reactivation()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();

        await RefusedAsync(() => room.Grain.AddBlockedTermAsync(viewer.Id, "idiot*"), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.GetBlockedTermsAsync(viewer.Id), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.AddBlockedTermAsync(moderator.Id, "x"), ErrorCodes.BadUserInput, "term");
        Assert.Equal(["idiot*"], await room.Grain.AddBlockedTermAsync(moderator.Id, "  IDIOT* "));
        Assert.Equal(["idiot*", "bad word"], await room.Grain.AddBlockedTermAsync(room.Id, "Bad Word"));
        Assert.Equal(["idiot*", "bad word"], await room.Grain.AddBlockedTermAsync(room.Id, "bad word")); // already there

        var refused = await RefusedAsync(() => room.SendAsync(viewer, "you are all 1D10TS"), ErrorCodes.Forbidden, "blockedTerm");
        Assert.Contains("not sent", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("idiot", refused.Message, StringComparison.OrdinalIgnoreCase); // the reason, not the way around it
        await RefusedAsync(() => room.SendAsync(viewer, "Ідіот"), ErrorCodes.Forbidden, "blockedTerm");
        await room.SendAsync(viewer, "an idiomatic phrase");
        await room.SendAsync(moderator, "no idiots here"); // the channel's moderators set the rules, and are not held to them

        // The list is the room's durable state.
        await fixture.DeactivateAsync(room.Grain);
        Assert.Equal(["idiot*", "bad word"], await room.Grain.GetBlockedTermsAsync(moderator.Id));
        await RefusedAsync(() => room.SendAsync(viewer, "such a bad  word"), ErrorCodes.Forbidden, "blockedTerm");

        Assert.Equal(["bad word"], await room.Grain.RemoveBlockedTermAsync(moderator.Id, "IDIOT*"));
        await RefusedAsync(() => room.Grain.RemoveBlockedTermAsync(moderator.Id, "idiot*"), ErrorCodes.NotFound);
        await room.SendAsync(viewer, "idiots");
        Assert.Equal(["an idiomatic phrase", "no idiots here", "idiots"], await room.HistoryTextsAsync());
    }

    [Fact]
    public async Task The_platforms_blocked_terms_hold_in_every_room_for_everyone()
    {
        var room = await fixture.NewRoomAsync();
        var refused = await RefusedAsync(() => room.SendAsync(room.Owner, $"well, {ChatClusterFixture.PlatformBlockedTerm.ToUpperInvariant()}"), ErrorCodes.Forbidden, "blockedTerm");
        Assert.Contains("this site", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await room.HistoryTextsAsync());
    }

    [Fact]
    public async Task A_vip_skips_slow_mode_and_followers_only_has_a_badge_and_only_the_broadcaster_names_one()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var vip = await fixture.RegisterAsync();
        var viewer = await fixture.RegisterAsync();
        await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, 60, true, null, null));

        await RefusedAsync(() => room.Grain.AddVipAsync(moderator.Id, vip.Id), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.AddVipAsync(room.Id, moderator.Id), ErrorCodes.BadUserInput);
        await RefusedAsync(() => room.Grain.AddVipAsync(room.Id, Guid.NewGuid()), ErrorCodes.NotFound);
        await room.Grain.AddVipAsync(room.Id, vip.Id);

        // Not following, and twice within the slow-mode minute.
        var first = await room.SendAsync(vip, "first");
        await room.SendAsync(vip, "second");
        Assert.Equal(["vip"], first.Badges);
        await RefusedAsync(() => room.SendAsync(viewer, "me too"), ErrorCodes.Forbidden, "followersOnly");
        Assert.True((await room.Grain.GetStandingAsync(vip.Id)).IsVip);
        Assert.Equal([vip.Id], (await room.Grain.GetInfoAsync()).Vips);

        // Not above the other rules: a VIP can still be timed out.
        await room.Grain.TimeoutAsync(moderator.Id, vip.Id, 60, null);
        await RefusedAsync(() => room.SendAsync(vip, "third"), ErrorCodes.Forbidden, "timeout");

        await room.Grain.RemoveVipAsync(room.Id, vip.Id);
        await RefusedAsync(() => room.Grain.RemoveVipAsync(room.Id, vip.Id), ErrorCodes.NotFound);
        Assert.False((await room.Grain.GetStandingAsync(vip.Id)).IsVip);
    }

    [Fact]
    public async Task Every_moderator_action_is_in_the_log_with_who_what_and_why_and_only_moderators_read_it()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        var message = await room.SendAsync(viewer, "spam spam");
        await room.Grain.DeleteMessageAsync(moderator.Id, message.Id);
        await room.Grain.TimeoutAsync(moderator.Id, viewer.Id, 600, "spam");
        await room.Grain.BanAsync(room.Id, viewer.Id, "again");
        await room.Grain.UnbanAsync(moderator.Id, viewer.Id);
        await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, 5, null, null, null));
        await room.Grain.AddBlockedTermAsync(moderator.Id, "spam");
        await room.Grain.AddVipAsync(room.Id, viewer.Id);

        var logs = fixture.GrainFactory.GetGrain<IModerationLogGrain>(0);
        await RefusedAsync(() => logs.ReadAsync(viewer.Id, room.Id, 10, null), ErrorCodes.Forbidden);
        var page = await logs.ReadAsync(moderator.Id, room.Id, 10, null);
        var entries = page.Edges.Select(e => e.Node).ToList();
        Assert.Equal(
            [ModerationAction.AddVip, ModerationAction.BlockedTermAdded, ModerationAction.SettingsChanged, ModerationAction.Unban,
                ModerationAction.Ban, ModerationAction.Timeout, ModerationAction.DeleteMessage, ModerationAction.AddModerator],
            entries.Select(e => e.Action));
        var delete = entries[6];
        Assert.Equal((moderator.Id, viewer.Id, message.Id), (delete.ActorId, delete.TargetUserId, delete.TargetMessageId));
        Assert.Contains("spam spam", delete.Details, StringComparison.Ordinal);
        Assert.Equal(("spam", room.Id), (entries[5].Reason, entries[6].ChannelId));
        Assert.Contains("600 s", entries[5].Details, StringComparison.Ordinal);
        Assert.Equal((room.Id, "again"), (entries[4].ActorId, entries[4].Reason));
        Assert.Contains("slow mode 5 s", entries[2].Details, StringComparison.Ordinal);
        Assert.Equal("spam", entries[1].Details);
        Assert.All(entries, e => Assert.InRange(e.At, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1)));

        // Paged newest first by cursor.
        var first = await logs.ReadAsync(room.Id, room.Id, 3, null);
        Assert.True(first.HasNextPage);
        var rest = await logs.ReadAsync(room.Id, room.Id, 10, first.EndCursor);
        Assert.Equal(entries.Skip(3).Select(e => e.Id), rest.Edges.Select(e => e.Node.Id));
        await RefusedAsync(() => logs.ReadAsync(room.Id, room.Id, 10, "bm9wZQ"), ErrorCodes.BadUserInput);
    }
}
