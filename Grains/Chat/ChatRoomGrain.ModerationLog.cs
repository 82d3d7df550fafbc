using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>
/// The moderation log's side of the room: every action is recorded with it, never after it. An
/// action that writes chat rows (a deletion, an approval, a ban's purge) carries its entry in that
/// write; one that changes the room's state saves its entry in that state write and appends it to
/// the log afterwards; a room that activates writes whatever its state still holds. So a silo dying
/// between an action and its record loses neither.
/// </summary>
public sealed partial class ChatRoomGrain
{
    private ModerationLogEntry NewLogEntry(Guid actorId, ModerationAction action, Guid? targetUserId = null, Guid? targetMessageId = null, string? reason = null, string? details = null) =>
        new(Guid.CreateVersion7(), actorId, action, targetUserId, targetMessageId, reason, details, clock.GetUtcNow());

    /// <summary>Saves the room's state (with the action already applied to it) together with the action's log entry.</summary>
    private async Task SaveStateWithAsync(ModerationLogEntry entry)
    {
        State.UnloggedActions.Add(entry);
        try
        {
            await SaveStateAsync();
        }
        catch
        {
            State.UnloggedActions.Remove(entry);
            throw;
        }
    }

    /// <summary>Writes an entry saved with the state to the log; it then leaves the state (for good at the next save).</summary>
    private async Task AppendSavedAsync(ModerationLogEntry entry)
    {
        await log.AppendAsync(ChannelId, [entry]);
        Logged(entry);
    }

    /// <summary>The entry is in the log (written with a chat write, say): the state need not keep it.</summary>
    private void Logged(ModerationLogEntry entry) => State.UnloggedActions.Remove(entry);

    /// <summary>
    /// On activation, before history is read: entries the last activation saved but may not have
    /// written. A ban or timeout whose chat write never happened also never purged the user's
    /// messages; that purge, of what they said before it, is done now.
    /// </summary>
    private async Task RecoverUnloggedActionsAsync()
    {
        if (State.UnloggedActions.Count == 0)
        {
            return;
        }

        var entries = State.UnloggedActions.ToList();
        var stored = await log.StoredAsync([.. entries.Select(e => e.Id)]);
        foreach (var restriction in entries.Where(e => e.Action is ModerationAction.Ban or ModerationAction.Timeout && !stored.Contains(e.Id)))
        {
            await store.PurgeAsync(ChannelId, restriction.TargetUserId!.Value, restriction.At);
        }

        await log.AppendAsync(ChannelId, entries);
        State.UnloggedActions.Clear();
        await SaveStateAsync();
    }
}
