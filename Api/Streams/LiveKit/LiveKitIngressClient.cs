using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace WgStream.Api.Streams.LiveKit;

public enum IngressInputType
{
    Rtmp,
    Whip,
}

/// <summary>What LiveKit made: where the encoder sends media and with which key.</summary>
public sealed record LiveKitIngress(string IngressId, string Url, string StreamKey, IngressInputType InputType, string RoomName);

/// <summary>
/// LiveKit's Ingress service over Twirp (JSON): <c>POST {Url}/twirp/livekit.Ingress/CreateIngress</c>
/// with a bearer token carrying the <c>ingressAdmin</c> grant.
/// </summary>
public sealed partial class LiveKitIngressClient(HttpClient http, LiveKitTokens tokens, IOptions<LiveKitOptions> options, ILogger<LiveKitIngressClient> logger)
{
    public async Task<LiveKitIngress> CreateAsync(IngressInputType type, Guid channelId, string username, string displayName, CancellationToken cancellationToken)
    {
        var room = channelId.ToString("N");
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            // proto3 JSON: enum by name, lowerCamelCase field names (LiveKit also accepts snake_case).
            ["inputType"] = type == IngressInputType.Whip ? "WHIP_INPUT" : "RTMP_INPUT",
            ["name"] = $"{username}-{type.ToString().ToLowerInvariant()}",
            ["roomName"] = room,
            ["participantIdentity"] = $"broadcaster-{room}",
            ["participantName"] = displayName,
        });
        var token = tokens.Create("wg-stream-api", new Dictionary<string, object> { ["ingressAdmin"] = true }, TimeSpan.FromMinutes(10));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Value.Url.TrimEnd('/')}/twirp/livekit.Ingress/CreateIngress")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogRefused((int)response.StatusCode, text.Length > 500 ? text[..500] : text);
            throw new InvalidOperationException($"LiveKit CreateIngress answered {(int)response.StatusCode}.");
        }

        var info = JsonDocument.Parse(text).RootElement;
        return new LiveKitIngress(
            Read(info, "ingressId", "ingress_id") ?? throw new InvalidOperationException("LiveKit returned no ingress id."),
            Read(info, "url", "url") ?? string.Empty,
            Read(info, "streamKey", "stream_key") ?? string.Empty,
            type,
            Read(info, "roomName", "room_name") ?? room);
    }

    /// <summary>Twirp servers answer with proto names or JSON names depending on their settings: take either.</summary>
    internal static string? Read(JsonElement element, string jsonName, string protoName) =>
        element.ValueKind == JsonValueKind.Object
        && (element.TryGetProperty(jsonName, out var value) || element.TryGetProperty(protoName, out value))
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "LiveKit CreateIngress failed with {Status}: {Body}")]
    private partial void LogRefused(int status, string body);
}
