using System.Text.Json;

namespace WgStream.Gateways.LiveKit;

/// <summary>An open LiveKit room and how many of its participants publish media.</summary>
public sealed record LiveKitRoom(string Name, int Publishers);

/// <summary>LiveKit's RoomService over Twirp: <c>livekit.RoomService/ListRooms</c>, with a token carrying the <c>roomList</c> grant.</summary>
public sealed class LiveKitRoomClient(LiveKitTwirp twirp)
{
    private static readonly Dictionary<string, object> Grant = new() { ["roomList"] = true };

    /// <summary>The rooms among <paramref name="names"/> that are open (a room that is not is left out).</summary>
    public async Task<IReadOnlyList<LiveKitRoom>> ListAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return []; // an empty filter would list every room
        }

        var answer = await twirp.CallAsync("livekit.RoomService", "ListRooms", new Dictionary<string, object> { ["names"] = names }, Grant, cancellationToken);
        var rooms = new List<LiveKitRoom>();
        if (LiveKitTwirp.Property(answer, "rooms", "rooms") is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var room in list.EnumerateArray())
            {
                if (LiveKitTwirp.Read(room, "name", "name") is { } name)
                {
                    // proto3 JSON leaves a count of 0 out.
                    var publishers = LiveKitTwirp.Property(room, "numPublishers", "num_publishers") is { ValueKind: JsonValueKind.Number } count ? count.GetInt32() : 0;
                    rooms.Add(new LiveKitRoom(name, publishers));
                }
            }
        }

        return rooms;
    }
}
