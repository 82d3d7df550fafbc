using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.GrainInterfaces.Chat;

/// <summary>Reports about chat, kept in PostgreSQL. A stateless worker: use key 0.</summary>
public interface IReportsGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Files a report. BAD_USER_INPUT for an empty or too long reason, a report about oneself, or a
    /// message that is not the target's in that channel; NOT_FOUND for an unknown user or channel;
    /// RATE_LIMITED past the reporter's hourly allowance. The same message reported again by the same
    /// person returns the first report.
    /// </summary>
    Task<Report> FileAsync(Guid reporterId, ReportRequest request);

    /// <summary>A channel's reports, newest first (open ones only unless <paramref name="open"/> is false); its broadcaster and moderators only.</summary>
    [ReadOnly]
    Task<Page<Report>> ChannelReportsAsync(Guid actorId, Guid channelId, bool open, int first, string? after);

    /// <summary>Every channel's reports, for operators (the caller has checked that it is one).</summary>
    [ReadOnly]
    Task<Page<Report>> AllReportsAsync(bool open, int first, string? after);

    /// <summary>
    /// Resolves a report: the action is carried out in the channel's chat as <paramref name="actorId"/>
    /// (who must moderate it, unless dismissing as an operator) or, for <c>SiteBan</c> (operators only),
    /// site-wide; then it is recorded. CONFLICT when it was resolved already.
    /// </summary>
    Task<Report> ResolveAsync(Guid actorId, long reportId, ReportAction action, int? timeoutSeconds, string? note, bool asOperator);
}
