namespace WgStream.GrainInterfaces.Chat;

/// <summary>What a moderator does about a report; all but <see cref="Dismiss"/> act in the channel's chat.</summary>
public enum ReportAction
{
    Dismiss,
    DeleteMessage,
    Timeout,
    Ban,
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
