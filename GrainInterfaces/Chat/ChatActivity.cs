namespace WgStream.GrainInterfaces.Chat;

/// <summary>
/// A room's chat over a span: messages stored, and how many people sent them (distinct senders,
/// counted up to <see cref="MaxChatters"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatActivity(int Messages, int Chatters)
{
    /// <summary>Distinct senders a room tracks per span at most (about 40 bytes each), so one span never holds more than a few MB.</summary>
    public const int MaxChatters = 100_000;

    public static readonly ChatActivity None = new(0, 0);
}
