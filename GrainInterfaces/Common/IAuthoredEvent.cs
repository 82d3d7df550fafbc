namespace WgStream.GrainInterfaces.Common;

/// <summary>
/// A live event someone wrote (a chat message), so that the fan-out can spare it to viewers who
/// blocked its author. Events nobody wrote (a deletion, a settings change) say null.
/// </summary>
public interface IAuthoredEvent
{
    Guid? AuthorId { get; }
}
