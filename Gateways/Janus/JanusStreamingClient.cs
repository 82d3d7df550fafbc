using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace WgStream.Gateways.Janus;

/// <summary>A mountpoint's RTP ports, as Janus allocated them.</summary>
public sealed record JanusMountpoint(string Id, int VideoPort, int AudioPort);

/// <summary>What Janus says about a mountpoint: its viewers, and how long ago each medium last received a packet.</summary>
public sealed record JanusMountpointInfo(int Viewers, IReadOnlyList<long> MediaAgesMs);

/// <summary>
/// The streaming plugin through Janus's HTTP API: one session and handle per call (create, attach,
/// message, destroy), with a token signed for the call. Mountpoints are RTP: video H.264 and audio
/// Opus on ports Janus picks from its range. A singleton: the factory's pooled handlers do the rest.
/// </summary>
public sealed class JanusStreamingClient(IHttpClientFactory http, IOptions<JanusOptions> options, TimeProvider clock)
{
    public async Task<JanusMountpoint> CreateAsync(string id, string secret, string pin, string videoFmtp, CancellationToken cancellation)
    {
        var data = await RequestAsync(new JsonObject
        {
            ["request"] = "create",
            ["admin_key"] = options.Value.AdminKey,
            ["type"] = "rtp",
            ["id"] = id,
            ["description"] = id,
            ["secret"] = secret,
            ["pin"] = pin,
            // Not in "list": viewers find a mountpoint through the Api, with its PIN.
            ["is_private"] = true,
            ["permanent"] = false,
            ["media"] = new JsonArray(
                new JsonObject { ["type"] = "video", ["mid"] = "v", ["codec"] = "h264", ["pt"] = 96, ["port"] = 0, ["fmtp"] = videoFmtp },
                new JsonObject { ["type"] = "audio", ["mid"] = "a", ["codec"] = "opus", ["pt"] = 111, ["port"] = 0 }),
        }, cancellation);
        var ports = data.GetProperty("stream").GetProperty("ports").EnumerateArray().ToList();
        int Port(string type) => ports.First(p => p.GetProperty("type").GetString() == type).GetProperty("port").GetInt32();
        return new JanusMountpoint(id, Port("video"), Port("audio"));
    }

    public async Task DestroyAsync(string id, string secret, CancellationToken cancellation) =>
        await RequestAsync(new JsonObject { ["request"] = "destroy", ["id"] = id, ["secret"] = secret }, cancellation);

    /// <summary>Null when Janus has no such mountpoint.</summary>
    public async Task<JanusMountpointInfo?> InfoAsync(string id, string secret, CancellationToken cancellation)
    {
        try
        {
            var info = (await RequestAsync(new JsonObject { ["request"] = "info", ["id"] = id, ["secret"] = secret }, cancellation)).GetProperty("info");
            var ages = info.GetProperty("media").EnumerateArray()
                .Select(m => m.TryGetProperty("age_ms", out var age) ? age.GetInt64() : long.MaxValue)
                .ToList();
            return new JanusMountpointInfo(info.TryGetProperty("viewers", out var viewers) ? viewers.GetInt32() : 0, ages);
        }
        catch (JanusException e) when (e.Code == NoSuchMountpoint)
        {
            return null;
        }
    }

    /// <summary>The streaming plugin's error code for an unknown mountpoint.</summary>
    private const int NoSuchMountpoint = 455;

    private async Task<JsonElement> RequestAsync(JsonObject body, CancellationToken cancellation)
    {
        var token = JanusTokens.Sign(options.Value.TokenSecret!, clock.GetUtcNow().AddMinutes(1));
        var root = options.Value.Url!.TrimEnd('/');
        var session = (await PostAsync(root, new JsonObject { ["janus"] = "create" }, token, cancellation)).GetProperty("data").GetProperty("id").GetInt64();
        try
        {
            var handle = (await PostAsync($"{root}/{session}", new JsonObject { ["janus"] = "attach", ["plugin"] = JanusTokens.StreamingPlugin }, token, cancellation))
                .GetProperty("data").GetProperty("id").GetInt64();
            var answer = await PostAsync($"{root}/{session}/{handle}", new JsonObject { ["janus"] = "message", ["body"] = body }, token, cancellation);
            var data = answer.GetProperty("plugindata").GetProperty("data");
            if (data.TryGetProperty("error_code", out var code))
            {
                throw new JanusException(code.GetInt32(), data.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "");
            }

            return data.Clone();
        }
        finally
        {
            // A session Janus would otherwise keep until session_timeout.
            try
            {
                await PostAsync($"{root}/{session}", new JsonObject { ["janus"] = "destroy" }, token, CancellationToken.None);
            }
            catch (Exception e) when (e is HttpRequestException or JanusException or TaskCanceledException)
            {
            }
        }
    }

    private async Task<JsonElement> PostAsync(string url, JsonObject message, string token, CancellationToken cancellation)
    {
        message["transaction"] = Guid.NewGuid().ToString("N");
        message["token"] = token;
        using var client = http.CreateClient(nameof(JanusStreamingClient));
        using var response = await client.PostAsJsonAsync(url, message, cancellation);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellation));
        var root = document.RootElement;
        if (root.GetProperty("janus").GetString() == "error")
        {
            var error = root.GetProperty("error");
            throw new JanusException(error.GetProperty("code").GetInt32(), error.GetProperty("reason").GetString() ?? "");
        }

        return root.Clone();
    }
}

public sealed class JanusException(int code, string reason) : Exception($"Janus error {code}: {reason}")
{
    public int Code { get; } = code;
}
