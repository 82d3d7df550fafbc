using System.Globalization;
using System.Net;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>
/// The Api with streaming set up for tests (<see cref="RtmpIngest"/>: its settings and a real
/// nginx-rtmp ingest whose callbacks point at it), logging at Information so a leaked key would show.
/// </summary>
public class StreamsFixture : ApiFixture
{
    public RtmpIngest Ingest { get; } = new();

    public string IngestSecret => Ingest.IngestSecret;

    public int HlsPort => Ingest.HlsPort;

    public NginxRtmp Nginx => Ingest.Nginx;

    public string IngestUrl => Ingest.IngestUrl;

    /// <summary>Set here (not left to ApiProcess) so an Orleans client in a test can join the Api's silo.</summary>
    public string ClusterId { get; } = $"streams-{Guid.NewGuid():N}";

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>(Ingest.ApiSettings)
    {
        ["WG_Cluster__ClusterId"] = ClusterId,
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
        // Request start and end lines (off by default: see appsettings.json), so the keys a request carried pass through the log.
        ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Ingest.StartAsync(Api.Port);
    }

    public override async Task DisposeAsync()
    {
        await Ingest.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>What nginx-rtmp posts to the Api, sent by hand (no redirects followed, so a 302 is seen as such).</summary>
    public async Task<HttpResponseMessage> IngestAsync(string path, IDictionary<string, string> form, string? secret = null)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Api.BaseAddress };
        return await http.PostAsync($"/ingest/rtmp/{path}?secret={Uri.EscapeDataString(secret ?? IngestSecret)}", new FormUrlEncodedContent(form));
    }

    /// <summary>A publish as nginx-rtmp sends it for an encoder on client connection <paramref name="clientId"/>.</summary>
    public static Dictionary<string, string> RtmpForm(string call, string name, int clientId) => new()
    {
        ["app"] = "live",
        ["flashver"] = "FMLE/3.0 (compatible; OBS)",
        ["tcurl"] = "rtmp://127.0.0.1:1935/live",
        ["addr"] = "127.0.0.1",
        ["clientid"] = clientId.ToString(CultureInfo.InvariantCulture),
        ["call"] = call,
        ["name"] = name,
        ["type"] = "live",
    };

    public async Task<string> StreamKeyAsync(GraphQLClient owner) =>
        (await owner.DataAsync("{ streamSettings { streamKey } }")).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;

    /// <summary>Goes live through the ingest endpoint the way nginx would; returns the channel id from the Location.</summary>
    public async Task<string> GoLiveAsync(string key, int clientId)
    {
        using var response = await IngestAsync("publish", RtmpForm("publish", key, clientId));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }
}

[CollectionDefinition(Name)]
public sealed class StreamsCollection : ICollectionFixture<StreamsFixture>
{
    public const string Name = "Streams";
}

/// <summary>A graphql-transport-ws subscription and the events it yields.</summary>
public sealed class Subscription : IAsyncDisposable
{
    private readonly WsTestClient socket;
    private readonly Queue<JsonElement> early;

    private Subscription(WsTestClient socket, Queue<JsonElement> early)
    {
        this.socket = socket;
        this.early = early;
    }

    public static async Task<Subscription> StartAsync(Uri uri, string query, object variables, string? token = null)
    {
        var socket = await WsTestClient.ConnectAsync(uri);
        await socket.InitAsync(token);
        await socket.SendAsync(new { id = "s", type = "subscribe", payload = new { query, variables } });
        // The subscription is in place once the server has handled the subscribe; a ping behind it proves that.
        await socket.SendAsync(new { type = "ping" });
        // Events may already flow before the pong (the stream's current state, say): keep them for NextAsync.
        var early = new Queue<JsonElement>();
        while (await socket.ReceiveAsync() is { } message)
        {
            if (message.GetProperty("type").GetString() == "pong")
            {
                return new Subscription(socket, early);
            }

            early.Enqueue(message);
        }

        throw new InvalidOperationException("The server closed the socket before answering the ping.");
    }

    /// <summary>The data of the next event whose payload matches, skipping others.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("No matching subscription event arrived.");
            }

            var message = early.TryDequeue(out var buffered)
                ? buffered
                : await socket.ReceiveAsync(left) ?? throw new InvalidOperationException("The server closed the socket.");
            var type = message.GetProperty("type").GetString();
            Assert.True(type == "next", $"Unexpected message: {message}");
            var data = message.GetProperty("payload").GetProperty("data");
            if (match(data))
            {
                return data;
            }
        }
    }

    public ValueTask DisposeAsync() => socket.DisposeAsync();
}
