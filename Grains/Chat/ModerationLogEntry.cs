using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>
/// A moderator action to be recorded in <c>moderation_actions</c>, with the id the room gave it, so
/// that writing it again (after a silo died between the action and the record) stores it once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ModerationLogEntry(
    Guid Id,
    Guid ActorId,
    ModerationAction Action,
    Guid? TargetUserId,
    Guid? TargetMessageId,
    string? Reason,
    string? Details,
    DateTimeOffset At);
