namespace WgStream.GrainInterfaces.Chat;

/// <summary>
/// What a moderator does about a report: <see cref="DeleteMessage"/>, <see cref="Timeout"/> and
/// <see cref="Ban"/> act in the channel's chat (its moderators only); <see cref="SiteBan"/> bans the
/// reported account from the whole site (operators only, in any channel); <see cref="Dismiss"/> does nothing.
/// </summary>
public enum ReportAction
{
    Dismiss,
    DeleteMessage,
    Timeout,
    Ban,
    SiteBan,
}

/// <summary>A user reports <paramref name="TargetUserId"/> in a channel, about one of their messages or in general.</summary>
[GenerateSerializer, Immutable]
public sealed record ReportRequest(Guid ChannelId, Guid TargetUserId, Guid? MessageId, string Reason);

/// <summary>A report as moderators see it; open while <see cref="ResolvedAt"/> is null.</summary>
[GenerateSerializer, Immutable]
public sealed record Report(
    long Id,
    Guid ChannelId,
    Guid ReporterId,
    Guid TargetUserId,
    Guid? MessageId,
    string? MessageText,
    string Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    Guid? ResolvedBy,
    ReportAction? Action,
    string? Note);
