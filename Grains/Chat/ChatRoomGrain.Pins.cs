using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat;

/// <summary>
/// What moderators put above or take off the whole room: a pinned message (one at a time, for a
/// chosen time) and a clear of everyone's view.
/// </summary>
public sealed partial class ChatRoomGrain
{
    public async Task<ChatPin> PinMessageAsync(Guid actorId, Guid messageId, TimeSpan duration)
    {
        EnsureModerator(actorId);
        Check(ChatRules.PinDuration(duration, Options));
        var message = recent.Find(messageId)
            ?? (recent.HoldsAll ? null : await store.FindAsync(ChannelId, messageId, State.ClearedSeq))
            ?? throw new WgException(ErrorCodes.NotFound, "That message is not in this chat.", "messageId");
        var now = clock.GetUtcNow();
        var pin = new ChatPin(message, actorId, now, now + duration);
        State.Pinned = pin;
        var entry = NewLogEntry(actorId, ModerationAction.PinMessage, message.SenderId, message.Id, details: $"{message.Username}: {message.Text} (for {(int)duration.TotalSeconds} s)");
        await SaveStateWithAsync(entry);
        await EnqueueAsync(new ChatEvent(ChatEventKind.MessagePinned, ChannelId, ++lastSeq, MessageId: message.Id, Pin: pin), batch => batch.Logged.Add(entry));
        Logged(entry);
        return pin;
    }

    public async Task UnpinMessageAsync(Guid actorId)
    {
        EnsureModerator(actorId);
        if (State.Pinned is not { } pin || pin.Until <= clock.GetUtcNow())
        {
            throw WgException.NotFound("No message is pinned here.");
        }

        State.Pinned = null;
        var entry = NewLogEntry(actorId, ModerationAction.UnpinMessage, pin.Message.SenderId, pin.Message.Id);
        await SaveStateWithAsync(entry);
        await EnqueueAsync(new ChatEvent(ChatEventKind.MessageUnpinned, ChannelId, ++lastSeq, MessageId: pin.Message.Id), batch => batch.Logged.Add(entry));
        Logged(entry);
    }

    public async Task ClearChatAsync(Guid actorId)
    {
        EnsureModerator(actorId);
        // The clear's own sequence number: everything before it leaves history, what follows stays.
        var seq = ++lastSeq;
        recent.Clear();
        State.ClearedSeq = seq;
        var entry = NewLogEntry(actorId, ModerationAction.ClearChat);
        await SaveStateWithAsync(entry);
        await EnqueueAsync(new ChatEvent(ChatEventKind.ChatCleared, ChannelId, seq), batch => batch.Logged.Add(entry));
        Logged(entry);
    }
}
