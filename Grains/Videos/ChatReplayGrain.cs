using System.Globalization;
using Orleans.Concurrency;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Videos;
using WgStream.Grains.Chat;
using WgStream.Grains.Common;

namespace WgStream.Grains.Videos;

[StatelessWorker]
public sealed class ChatReplayGrain(ChatMessageStore messages) : Grain, IChatReplayGrain
{
    public const int MaxPageSize = 100;

    public async Task<ChatReplayPage> ReplayAsync(Guid videoId, TimeSpan from, string? after, int first)
    {
        if (first is < 1 or > MaxPageSize)
        {
            throw WgException.BadInput($"first must be between 1 and {MaxPageSize}.", "first");
        }

        if (from < TimeSpan.Zero)
        {
            throw WgException.BadInput("from must not be negative.", "from");
        }

        var video = await GrainFactory.GetGrain<IVideoGrain>(videoId).GetAsync();
        if (video is not { Status: VideoStatus.Ready, EndedAt: { } endedAt })
        {
            throw WgException.NotFound("No such video.");
        }

        (DateTimeOffset, long)? keyset = null;
        if (after is not null)
        {
            var parts = Cursor.Decode(after, 2);
            keyset = (new DateTimeOffset(Cursor.ParseLong(parts[0]), TimeSpan.Zero), Cursor.ParseLong(parts[1]));
        }

        // Bans that hold now, not those at the time: a user banned since is not replayed either.
        var room = await GrainFactory.GetGrain<IChatRoomGrain>(video.ChannelId).GetInfoAsync();
        var banned = room.Bans.Where(b => b.Until is null).Select(b => b.UserId).ToHashSet();
        var page = await messages.ReadRangeAsync(video.ChannelId, video.StartedAt + from, endedAt, keyset, banned, first);
        var replayed = page.Take(first).Select(m => new ReplayedMessage(
            m,
            m.SentAt > video.StartedAt ? m.SentAt - video.StartedAt : TimeSpan.Zero,
            Cursor.Encode(m.SentAt.UtcTicks.ToString(CultureInfo.InvariantCulture), m.Seq.ToString(CultureInfo.InvariantCulture)))).ToList();
        return new ChatReplayPage(replayed, page.Count > first);
    }
}
