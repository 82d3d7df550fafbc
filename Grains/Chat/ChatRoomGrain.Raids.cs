using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Chat;

/// <summary>A raid arriving: a notice in the room's live feed ("X is raiding with N viewers"), in order with its messages.</summary>
public sealed partial class ChatRoomGrain
{
    public async Task AnnounceRaidAsync(Raid raid)
    {
        await EnsureChannelAsync();
        // Published like any event, so it takes its place among the messages; not stored as one.
        await EnqueueAsync(new ChatEvent(ChatEventKind.Raid, ChannelId, ++lastSeq, Raid: raid), _ => { });
    }
}
