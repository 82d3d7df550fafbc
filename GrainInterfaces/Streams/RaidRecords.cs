namespace WgStream.GrainInterfaces.Streams;

/// <summary>Who may raid a channel: anyone live, only channels it follows, or nobody.</summary>
public enum RaidPolicy
{
    Everyone,
    FollowedOnly,
    Nobody,
}

/// <summary>
/// A live channel sending its viewers to another live channel: the raiding channel's viewers are
/// taken there (<c>StreamStatusKind.Raided</c> on its status stream) and the target's chat announces
/// it (<c>ChatEventKind.Raid</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Raid(
    Guid FromChannelId,
    string FromUsername,
    string FromDisplayName,
    Guid ToChannelId,
    string ToUsername,
    int Viewers,
    DateTimeOffset At);
