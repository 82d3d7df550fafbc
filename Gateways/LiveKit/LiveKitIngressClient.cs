using System.Text.Json;

namespace WgStream.Gateways.LiveKit;

public enum IngressInputType
{
    Rtmp,
    Whip,
}

/// <summary>What LiveKit made: where the encoder sends media and with which key.</summary>
public sealed record LiveKitIngress(string IngressId, string Url, string StreamKey, IngressInputType InputType, string RoomName);

/// <summary>An ingress as <c>ListIngress</c> reports it: the room it publishes to and whether media is flowing now.</summary>
public sealed record LiveKitIngressState(string IngressId, string RoomName, bool Publishing);

/// <summary>
/// LiveKit's Ingress service over Twirp (JSON): <c>livekit.Ingress/CreateIngress</c> and
/// <c>ListIngress</c>, with a token carrying the <c>ingressAdmin</c> grant.
/// </summary>
public sealed class LiveKitIngressClient(LiveKitTwirp twirp)
{
    private const string Service = "livekit.Ingress";

    private static readonly Dictionary<string, object> Grant = new() { ["ingressAdmin"] = true };

    public async Task<LiveKitIngress> CreateAsync(IngressInputType type, Guid channelId, string username, string displayName, CancellationToken cancellationToken)
    {
        var room = LiveKitNames.RoomName(channelId);
        var body = new Dictionary<string, object>
        {
            // proto3 JSON: enum by name, lowerCamelCase field names (LiveKit also accepts snake_case).
            ["inputType"] = type == IngressInputType.Whip ? "WHIP_INPUT" : "RTMP_INPUT",
            ["name"] = $"{username}-{type.ToString().ToLowerInvariant()}",
            ["roomName"] = room,
            ["participantIdentity"] = LiveKitNames.BroadcasterIdentity(channelId),
            ["participantName"] = displayName,
        };
        var info = await twirp.CallAsync(Service, "CreateIngress", body, Grant, cancellationToken);
        return new LiveKitIngress(
            LiveKitTwirp.Read(info, "ingressId", "ingress_id") ?? throw new LiveKitException("LiveKit returned no ingress id."),
            LiveKitTwirp.Read(info, "url", "url") ?? string.Empty,
            LiveKitTwirp.Read(info, "streamKey", "stream_key") ?? string.Empty,
            type,
            LiveKitTwirp.Read(info, "roomName", "room_name") ?? room);
    }

    /// <summary>
    /// Every ingress of the project with its state. Following <c>next_page_token</c> where the
    /// server pages (newer LiveKit versions), up to <paramref name="maxPages"/> pages.
    /// </summary>
    public async Task<IReadOnlyList<LiveKitIngressState>> ListAsync(CancellationToken cancellationToken, int maxPages = 20)
    {
        var found = new List<LiveKitIngressState>();
        string? pageToken = null;
        for (var page = 0; page < maxPages; page++)
        {
            var body = pageToken is null
                ? new Dictionary<string, object>()
                : new Dictionary<string, object> { ["pageToken"] = new Dictionary<string, object> { ["token"] = pageToken } };
            var answer = await twirp.CallAsync(Service, "ListIngress", body, Grant, cancellationToken);
            if (LiveKitTwirp.Property(answer, "items", "items") is { ValueKind: JsonValueKind.Array } items)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (LiveKitTwirp.Read(item, "ingressId", "ingress_id") is { } id)
                    {
                        found.Add(new LiveKitIngressState(id, LiveKitTwirp.Read(item, "roomName", "room_name") ?? string.Empty, IsPublishing(item)));
                    }
                }
            }

            pageToken = LiveKitTwirp.Property(answer, "nextPageToken", "next_page_token") is { } next ? LiveKitTwirp.Read(next, "token", "token") : null;
            if (string.IsNullOrEmpty(pageToken))
            {
                break;
            }
        }

        return found;
    }

    /// <summary><c>state.status</c> is <c>ENDPOINT_PUBLISHING</c> (2): by name, or by number from a server that writes enums so.</summary>
    private static bool IsPublishing(JsonElement item) =>
        LiveKitTwirp.Property(item, "state", "state") is { } state
        && LiveKitTwirp.Property(state, "status", "status") is { } status
        && (status.ValueKind == JsonValueKind.String ? status.GetString() == "ENDPOINT_PUBLISHING" : status.ValueKind == JsonValueKind.Number && status.GetInt32() == 2);
}
