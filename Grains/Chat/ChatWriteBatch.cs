using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>
/// The room's group-commit buffer: the events gathered while the previous batch is being written,
/// and the rows they add, delete or record, stored in one transaction and then published together.
/// </summary>
internal sealed class ChatWriteBatch
{
    public List<ChatEvent> Events { get; } = [];

    public List<ChatMessage> Added { get; } = [];

    public List<Guid> Deleted { get; } = [];

    public List<Guid> Purged { get; } = [];

    /// <summary>Held messages among <see cref="Added"/>: approved, so their queue rows go in the same write.</summary>
    public List<Guid> ApprovedHeld { get; } = [];

    /// <summary>Moderator actions this write carries out (or follows), recorded in its transaction.</summary>
    public List<ModerationLogEntry> Logged { get; } = [];

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
