namespace WgStream.GrainInterfaces.Chat;

/// <summary>
/// How much AutoMod holds for review. Each term of the lexicon names the lowest level that holds it:
/// <see cref="Low"/> holds only the worst (slurs, threats), <see cref="High"/> also mild insults.
/// </summary>
public enum AutoModLevel
{
    Off,
    Low,
    Medium,
    High,
}

/// <summary>Why AutoMod held a message: a category of its lexicon, or a link to a domain the channel does not allow.</summary>
public enum AutoModCategory
{
    Insults,
    Slurs,
    Sexual,
    Violence,
    Links,
}

/// <summary>
/// A message AutoMod held. <see cref="Message"/> is what would be posted (its id, sender, badges and
/// the time it was sent; its sequence number is given only on approval).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HeldChatMessage(ChatMessage Message, AutoModCategory Category, DateTimeOffset ExpiresAt);

public enum HeldMessageEventKind
{
    Held,
    Approved,
    Denied,
    Expired,
}

/// <summary>
/// A change in a room's hold queue, on <c>StreamNames.ChatHeld</c>: a message was held (with
/// <see cref="Held"/>), or it left the queue (approved or denied by <see cref="ByUserId"/>, or expired).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HeldMessageEvent(HeldMessageEventKind Kind, Guid ChannelId, Guid MessageId, HeldChatMessage? Held = null, Guid? ByUserId = null);
