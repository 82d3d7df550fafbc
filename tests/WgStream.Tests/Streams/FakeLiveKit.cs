using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>
/// Answers Twirp like a LiveKit server (proto field names, enums by name, zero values left out):
/// CreateIngress, ListIngress and ListRooms over the rooms and ingresses a test sets up, keeping
/// every request (a player's connection attempt too: LiveKit's <c>/rtc</c>, answered 404). <see cref="FailWith"/> makes the list calls answer an error instead.
/// </summary>
public sealed class FakeLiveKit : IDisposable
{
    public const string ListIngress = "/twirp/livekit.Ingress/ListIngress";
    public const string ListRooms = "/twirp/livekit.RoomService/ListRooms";

    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();

    /// <summary>By room: the ingress publishing into it and whether it says it is publishing.</summary>
    private readonly ConcurrentDictionary<string, (string IngressId, bool Publishing)> ingresses = new();

    /// <summary>Open rooms and how many publishers each has.</summary>
    private readonly ConcurrentDictionary<string, int> rooms = new();

    public FakeLiveKit()
    {
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _ = ServeAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<(string Method, string Path, string? Authorization, string ContentType, string Body, string Query)> Requests { get; } = new();

    /// <summary>When set, ListIngress and ListRooms answer this status with a Twirp error.</summary>
    public int? FailWith { get; set; }

    /// <summary>An ingress publishes into <paramref name="room"/>: LiveKit lists it as publishing and the room as open with one publisher.</summary>
    public void Publish(string room, string ingressId)
    {
        ingresses[room] = (ingressId, true);
        rooms[room] = 1;
    }

    /// <summary>The room closes (its publisher left). With <paramref name="ingressStillSaysPublishing"/> the ingress state is left stale, as after a crashed ingress worker.</summary>
    public void CloseRoom(string room, bool ingressStillSaysPublishing = false)
    {
        rooms.TryRemove(room, out _);
        if (!ingressStillSaysPublishing && ingresses.TryGetValue(room, out var ingress))
        {
            ingresses[room] = (ingress.IngressId, false);
        }
    }

    public int Count(string path) => Requests.Count(r => r.Path == path);

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue((context.Request.HttpMethod, path, context.Request.Headers["Authorization"], context.Request.ContentType ?? string.Empty, body, context.Request.Url.Query));
            var response = path switch
            {
                "/twirp/livekit.Ingress/CreateIngress" => CreateIngress(body),
                ListIngress or ListRooms when FailWith is { } status => (status, """{"code":"internal","msg":"fake failure"}"""),
                ListIngress => ListIngressAnswer(),
                ListRooms => ListRoomsAnswer(body),
                _ => (404, """{"code":"bad_route","msg":"no handler"}"""),
            };
            context.Response.StatusCode = response.Item1;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(response.Item2);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int, string) ListIngressAnswer() => (200, JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["items"] = ingresses.Select(kv => new Dictionary<string, object>
        {
            ["ingress_id"] = kv.Value.IngressId,
            ["input_type"] = "RTMP_INPUT",
            ["room_name"] = kv.Key,
            ["state"] = kv.Value.Publishing ? new Dictionary<string, object> { ["status"] = "ENDPOINT_PUBLISHING", ["room_id"] = "RM_x" } : new Dictionary<string, object>(),
        }).ToList(),
    }));

    /// <summary>Only the rooms named in <c>names</c>, as LiveKit filters; a room with no publishers has no <c>num_publishers</c>.</summary>
    private (int, string) ListRoomsAnswer(string body)
    {
        var names = JsonDocument.Parse(body).RootElement.TryGetProperty("names", out var list)
            ? list.EnumerateArray().Select(n => n.GetString()!).ToHashSet()
            : null;
        return (200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["rooms"] = rooms.Where(kv => names is null || names.Contains(kv.Key)).Select(kv =>
            {
                var room = new Dictionary<string, object> { ["sid"] = $"RM_{kv.Key[..8]}", ["name"] = kv.Key, ["num_participants"] = kv.Value };
                if (kv.Value > 0)
                {
                    room["num_publishers"] = kv.Value;
                }

                return room;
            }).ToList(),
        }));
    }

    private static (int, string) CreateIngress(string body)
    {
        var request = JsonDocument.Parse(body).RootElement;
        var whip = request.GetProperty("inputType").GetString() == "WHIP_INPUT";
        return (200, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["ingress_id"] = $"IN_{Guid.NewGuid():N}"[..15],
            ["name"] = request.GetProperty("name").GetString()!,
            ["stream_key"] = whip ? string.Empty : "lk-stream-key-123",
            ["url"] = whip ? "http://127.0.0.1:8080/w" : "rtmp://127.0.0.1:1936/x",
            ["input_type"] = whip ? "WHIP_INPUT" : "RTMP_INPUT",
            ["room_name"] = request.GetProperty("roomName").GetString()!,
            ["participant_identity"] = request.GetProperty("participantIdentity").GetString()!,
        }));
    }
}
