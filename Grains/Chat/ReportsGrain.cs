using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat;

[StatelessWorker]
public sealed class ReportsGrain(ReportStore store, IOptions<ChatOptions> options, TimeProvider clock) : Grain, IReportsGrain
{
    public const int MaxReasonLength = 500;

    /// <summary>The timeout a report resolves with when the moderator names no length.</summary>
    private const int DefaultTimeoutSeconds = 600;

    public async Task<Report> FileAsync(Guid reporterId, ReportRequest request)
    {
        var reason = CleanText(request.Reason, "reason");

        if (request.TargetUserId == reporterId)
        {
            throw WgException.BadInput("You cannot report yourself.", "userId");
        }

        if (await GrainFactory.GetGrain<IChannelGrain>(request.ChannelId).GetAsync() is null)
        {
            throw WgException.NotFound("No such channel.");
        }

        if (await GrainFactory.GetGrain<IUserProfileGrain>(request.TargetUserId).GetChatIdentityAsync() is null)
        {
            throw WgException.NotFound("No such user.");
        }

        string? text = null;
        if (request.MessageId is { } messageId)
        {
            text = await store.MessageTextAsync(request.ChannelId, messageId, request.TargetUserId)
                ?? throw WgException.BadInput("That is not a message of that user in this channel.", "messageId");
        }

        var now = clock.GetUtcNow();
        if (await store.FiledSinceAsync(reporterId, now.AddHours(-1)) >= options.Value.ReportsPerHour)
        {
            throw WgException.RateLimited($"You can file {options.Value.ReportsPerHour} reports an hour; the moderators have yours.", now.AddHours(1));
        }

        return await store.InsertAsync(reporterId, request with { Reason = reason }, text, reason);
    }

    public async Task<Page<Report>> ChannelReportsAsync(Guid actorId, Guid channelId, bool open, int first, string? after)
    {
        await EnsureModeratorAsync(actorId, channelId);
        return await store.ListAsync(channelId, open, first, after);
    }

    public Task<Page<Report>> AllReportsAsync(bool open, int first, string? after) => store.ListAsync(null, open, first, after);

    public async Task<Report> ResolveAsync(Guid actorId, long reportId, ReportAction action, int? timeoutSeconds, string? note, bool asOperator)
    {
        var report = await store.GetAsync(reportId) ?? throw WgException.NotFound("No such report.");
        if (action == ReportAction.SiteBan)
        {
            if (!asOperator)
            {
                throw WgException.Forbidden("Only operators can ban an account from the whole site.");
            }
        }
        else if (!(asOperator && action == ReportAction.Dismiss))
        {
            // A room's own actions stay its moderators': an operator who is not one dismisses or bans site-wide.
            await EnsureModeratorAsync(actorId, report.ChannelId);
        }

        if (report.ResolvedAt is not null)
        {
            throw WgException.Conflict("This report was resolved already.");
        }

        note = string.IsNullOrWhiteSpace(note) ? null : CleanText(note, "note");
        var room = GrainFactory.GetGrain<IChatRoomGrain>(report.ChannelId);

        // The action first: if this call is cut short the report stays open and can be resolved again.
        switch (action)
        {
            case ReportAction.DeleteMessage:
                await room.DeleteMessageAsync(actorId, report.MessageId ?? throw WgException.BadInput("This report is about a user, not a message.", "action"));
                break;
            case ReportAction.Timeout:
                await room.TimeoutAsync(actorId, report.TargetUserId, timeoutSeconds ?? DefaultTimeoutSeconds, note ?? report.Reason);
                break;
            case ReportAction.Ban:
                await room.BanAsync(actorId, report.TargetUserId, note ?? report.Reason);
                break;
            case ReportAction.SiteBan:
                // Idempotent: an account banned already stays banned as it was, and the report is resolved.
                await GrainFactory.GetGrain<ISiteBanGrain>(report.TargetUserId).BanAsync(actorId, note ?? report.Reason);
                break;
        }

        return await store.ResolveAsync(reportId, actorId, action, note) ?? throw WgException.Conflict("This report was resolved already.");
    }

    /// <summary>Cleaned like a chat message (control and invisible characters out), 1–500 characters, refused under the argument's own name.</summary>
    private static string CleanText(string? text, string field)
    {
        try
        {
            return ChatText.Clean(text ?? string.Empty, MaxReasonLength);
        }
        catch (WgException e) when (e.Code == ErrorCodes.BadUserInput)
        {
            throw WgException.BadInput($"Say what is wrong in 1 to {MaxReasonLength} characters.", field);
        }
    }

    private async Task EnsureModeratorAsync(Guid actorId, Guid channelId)
    {
        var standing = await GrainFactory.GetGrain<IChatRoomGrain>(channelId).GetStandingAsync(actorId);
        if (!standing.IsBroadcaster && !standing.IsModerator)
        {
            throw WgException.Forbidden("Only the channel's broadcaster and moderators can see and resolve its reports.");
        }
    }
}
