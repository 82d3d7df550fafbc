using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>
/// A sender as the rules of <see cref="ChatRules.SendRefusal"/> see them: what the room knows of
/// them (gathered, I/O included, before the rules run) at the moment of the send. A struct: it is
/// built once per message on the hot path and must not cost an allocation.
/// </summary>
/// <param name="Exempt">The broadcaster or a moderator: exempt from the chat modes and the channel's blocked terms.</param>
/// <param name="Vip">A VIP: exempt from slow mode, followers-only and held links.</param>
/// <param name="Sponsor">An active sponsor of the channel.</param>
/// <param name="FollowedSince">When they followed the channel; only asked when followers-only applies to them.</param>
/// <param name="Ban">Their ban or timeout still in effect, if any.</param>
/// <param name="Recent">Their messages within the flood limit's window.</param>
/// <param name="LastSent">Their last accepted message, for slow mode.</param>
public readonly record struct ChatSender(
    bool Exempt,
    bool Vip,
    bool Sponsor,
    DateTimeOffset? FollowedSince,
    ChatBan? Ban,
    SendWindow Recent,
    DateTimeOffset? LastSent);
