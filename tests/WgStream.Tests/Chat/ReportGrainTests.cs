using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>Reports: filed by anyone signed in, seen and resolved by the channel's moderators, each action recorded.</summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ReportGrainTests(ChatClusterFixture fixture)
{
    private IReportsGrain Reports => fixture.GrainFactory.GetGrain<IReportsGrain>(0);

    [Fact]
    public async Task A_reported_message_reaches_the_moderators_who_delete_it_and_the_resolution_is_recorded_once()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var troll = await fixture.RegisterAsync();
        var reporter = await fixture.RegisterAsync();
        var message = await room.SendAsync(troll, "an insult");

        await RefusedAsync(() => Reports.FileAsync(reporter.Id, new ReportRequest(room.Id, troll.Id, message.Id, " \n ")), ErrorCodes.BadUserInput, "reason");
        await RefusedAsync(() => Reports.FileAsync(troll.Id, new ReportRequest(room.Id, troll.Id, message.Id, "me")), ErrorCodes.BadUserInput, "userId");
        await RefusedAsync(() => Reports.FileAsync(reporter.Id, new ReportRequest(room.Id, moderator.Id, message.Id, "not theirs")), ErrorCodes.BadUserInput, "messageId");
        await RefusedAsync(() => Reports.FileAsync(reporter.Id, new ReportRequest(room.Id, Guid.NewGuid(), null, "who")), ErrorCodes.NotFound);
        var report = await Reports.FileAsync(reporter.Id, new ReportRequest(room.Id, troll.Id, message.Id, "  insults people "));
        Assert.Equal((room.Id, reporter.Id, troll.Id, message.Id, "an insult", "insults people"), (report.ChannelId, report.ReporterId, report.TargetUserId, report.MessageId, report.MessageText, report.Reason));
        Assert.Null(report.ResolvedAt);
        Assert.Equal(report.Id, (await Reports.FileAsync(reporter.Id, new ReportRequest(room.Id, troll.Id, message.Id, "again"))).Id); // once per message

        await RefusedAsync(() => Reports.ChannelReportsAsync(reporter.Id, room.Id, true, 10, null), ErrorCodes.Forbidden);
        await RefusedAsync(() => Reports.ResolveAsync(reporter.Id, report.Id, ReportAction.Dismiss, null, null, asOperator: false), ErrorCodes.Forbidden);
        Assert.Equal([report.Id], (await Reports.ChannelReportsAsync(moderator.Id, room.Id, true, 10, null)).Edges.Select(e => e.Node.Id));

        var resolved = await Reports.ResolveAsync(moderator.Id, report.Id, ReportAction.DeleteMessage, null, "rule 1", asOperator: false);
        Assert.Equal((ReportAction.DeleteMessage, moderator.Id, "rule 1"), (resolved.Action, resolved.ResolvedBy, resolved.Note));
        Assert.NotNull(resolved.ResolvedAt);
        Assert.True((await fixture.StoredMessagesAsync(room.Id))[message.Id]); // deleted in the table
        Assert.DoesNotContain("an insult", await room.HistoryTextsAsync());
        Assert.Empty((await Reports.ChannelReportsAsync(room.Id, room.Id, true, 10, null)).Edges);
        Assert.Equal([report.Id], (await Reports.ChannelReportsAsync(room.Id, room.Id, false, 10, null)).Edges.Select(e => e.Node.Id));
        await RefusedAsync(() => Reports.ResolveAsync(room.Id, report.Id, ReportAction.Ban, null, null, asOperator: false), ErrorCodes.Conflict);
        Assert.Null((await room.Grain.GetStandingAsync(troll.Id)).Ban);

        // The moderation log has the deletion, by the moderator.
        var log = await fixture.GrainFactory.GetGrain<IModerationLogGrain>(0).ReadAsync(room.Id, room.Id, 10, null);
        Assert.Equal((ModerationAction.DeleteMessage, moderator.Id), (log.Edges[0].Node.Action, log.Edges[0].Node.ActorId));
    }

    [Fact]
    public async Task A_reported_user_is_timed_out_through_the_report_and_operators_may_only_dismiss_outside_their_rooms()
    {
        var room = await fixture.NewRoomAsync();
        var troll = await fixture.RegisterAsync();
        var reporter = await fixture.RegisterAsync();
        var operatorUser = await fixture.RegisterAsync();
        var first = await Reports.FileAsync(reporter.Id, new ReportRequest(room.Id, troll.Id, null, "spams every stream"));
        var second = await Reports.FileAsync(reporter.Id, new ReportRequest(room.Id, troll.Id, null, "still"));
        await RefusedAsync(() => Reports.ResolveAsync(room.Id, first.Id, ReportAction.DeleteMessage, null, null, asOperator: false), ErrorCodes.BadUserInput, "action");

        var timedOut = await Reports.ResolveAsync(room.Id, first.Id, ReportAction.Timeout, 120, null, asOperator: false);
        Assert.Equal(ReportAction.Timeout, timedOut.Action);
        var ban = (await room.Grain.GetStandingAsync(troll.Id)).Ban;
        Assert.NotNull(ban?.Until);
        Assert.Equal("spams every stream", ban.Reason);

        // An operator who does not moderate the room can dismiss, not act in its chat.
        Assert.Contains(second.Id, (await Reports.AllReportsAsync(true, 50, null)).Edges.Select(e => e.Node.Id));
        await RefusedAsync(() => Reports.ResolveAsync(operatorUser.Id, second.Id, ReportAction.Ban, null, null, asOperator: true), ErrorCodes.Forbidden);
        Assert.Equal(ReportAction.Dismiss, (await Reports.ResolveAsync(operatorUser.Id, second.Id, ReportAction.Dismiss, null, "handled", asOperator: true)).Action);
    }

    [Fact]
    public async Task A_reporter_past_the_hourly_allowance_is_rate_limited()
    {
        var room = await fixture.NewRoomAsync();
        var reporter = await fixture.RegisterAsync();
        for (var i = 0; i < ChatClusterFixture.ReportsPerHour; i++)
        {
            var target = await fixture.RegisterAsync();
            await Reports.FileAsync(reporter.Id, new ReportRequest(room.Id, target.Id, null, $"report {i}"));
        }

        var last = await fixture.RegisterAsync();
        var refused = await RefusedAsync(() => Reports.FileAsync(reporter.Id, new ReportRequest(room.Id, last.Id, null, "one more")), ErrorCodes.RateLimited);
        Assert.NotNull(refused.RetryAt);
    }
}
