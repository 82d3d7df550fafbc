using WgStream.Api.Hosting;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WgStream.Api.Streams.LiveKit;
using WgStream.Api.Streams.Transcoding;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.Gateways.LiveKit;

namespace WgStream.Api.Streams;

/// <summary>
/// The HTTP callbacks of the ingest: nginx-rtmp's <c>on_publish</c>, <c>on_publish_done</c> and
/// <c>on_update</c> (form posts), and LiveKit's signed webhooks; plus the local thumbnail files.
/// </summary>
/// <remarks>
/// nginx-rtmp calls these with a shared secret in the query string (<c>Streams:IngestSecret</c>, written
/// into the rendered nginx.conf). A loopback check alone would not do: the Api trusts X-Forwarded-For
/// from loopback proxies, every local process is "loopback", and nginx may run on another host. With
/// no secret configured every call is refused.
/// </remarks>
public static partial class IngestEndpoints
{
    public static WebApplication MapWgStreamStreams(this WebApplication app)
    {
        app.MapPost("/ingest/rtmp/publish", PublishAsync);
        app.MapPost("/ingest/rtmp/publish-done", PublishDoneAsync);
        app.MapPost("/ingest/rtmp/update", UpdateAsync);
        app.MapPost("/webhooks/livekit", LiveKitWebhookAsync);

        var options = app.Services.GetRequiredService<IOptions<StreamOptions>>().Value;
        if (string.IsNullOrEmpty(options.IngestSecret) && !options.UsesLiveKit)
        {
            LogNoIngestSecret(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IngestEndpoints)));
        }

        return app;
    }

    /// <summary>
    /// In the RTMP application the stream name is the key: a valid one is answered with a redirect
    /// to the channel id, which nginx-rtmp takes as the new stream name (so the key never reaches
    /// the HLS application or any playback URL); anything else is 403 and nginx refuses the encoder.
    /// In the HLS application the name is already a channel id, relayed by our own nginx, which
    /// proves itself with the secret as the RTMP page URL.
    /// </summary>
    private static async Task<IResult> PublishAsync(HttpContext http, IClusterClient cluster, IOptions<StreamOptions> options, TranscodeSupervisor transcoder)
    {
        var settings = options.Value;
        if (!HasSecret(http, settings))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await ReadCallbackFormAsync(http) is not { } form)
        {
            return NotAForm();
        }

        var app = form["app"].ToString();
        var name = form["name"].ToString();
        if (app == settings.RtmpApplication)
        {
            if (name.Length is 0 or > 200 || await FindChannelAsync(cluster, name) is not { } channelId)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            var result = await cluster.GetGrain<IBroadcasterGrain>(channelId).PublishAsync(Connection(form), StreamKeys.Hash(name));
            return result.Outcome switch
            {
                PublishOutcome.Accepted => Results.Redirect(channelId.ToString("N")),
                PublishOutcome.AlreadyLive => Results.StatusCode(StatusCodes.Status409Conflict),
                _ => Results.StatusCode(StatusCodes.Status403Forbidden),
            };
        }

        if (app == settings.HlsApplication
            && Equal(form["pageurl"].ToString(), settings.IngestSecret!)
            && Guid.TryParseExact(name, "N", out var relayed)
            && await cluster.GetGrain<IBroadcasterGrain>(relayed).GetLiveAsync() is not null)
        {
            // The relay arrives: its HLS worker plays it from this application (loopback only).
            transcoder.Start(relayed);
            return Results.Ok();
        }

        return Results.StatusCode(StatusCodes.Status403Forbidden);
    }

    /// <summary>nginx-rtmp sends the name the encoder used (the key) here, not the renamed one.</summary>
    private static async Task<IResult> PublishDoneAsync(HttpContext http, IClusterClient cluster, IOptions<StreamOptions> options, TranscodeSupervisor transcoder)
    {
        var settings = options.Value;
        if (!HasSecret(http, settings))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await ReadCallbackFormAsync(http) is not { } form)
        {
            return NotAForm();
        }

        if (form["app"].ToString() == settings.RtmpApplication && await FindChannelAsync(cluster, form["name"].ToString()) is { } channelId)
        {
            await cluster.GetGrain<IBroadcasterGrain>(channelId).PublishDoneAsync(Connection(form));
            await transcoder.StopAsync(channelId);
        }

        return Results.Ok();
    }

    /// <summary>
    /// The heartbeat (every <c>notify_update_timeout</c>). An answer other than 2xx/3xx makes nginx drop
    /// the encoder, so that is only given when we know it must go (its key was rotated, or its
    /// broadcast already ended); our own failures answer 200.
    /// </summary>
    private static async Task<IResult> UpdateAsync(HttpContext http, IClusterClient cluster, IOptions<StreamOptions> options, TranscodeSupervisor transcoder, ILoggerFactory loggers)
    {
        var settings = options.Value;
        if (!HasSecret(http, settings))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (await ReadCallbackFormAsync(http) is not { } form)
        {
            return NotAForm();
        }

        if (form["call"].ToString() != "update_publish" || form["app"].ToString() != settings.RtmpApplication)
        {
            return Results.Ok(); // players and relays
        }

        try
        {
            if (await FindChannelAsync(cluster, form["name"].ToString()) is { } channelId
                && await cluster.GetGrain<IBroadcasterGrain>(channelId).HeartbeatAsync(Connection(form)))
            {
                // A no-op while the worker runs; after this node restarted mid-broadcast, it starts it again.
                transcoder.Start(channelId);
                return Results.Ok();
            }

            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHeartbeatFailed(loggers.CreateLogger(typeof(IngestEndpoints)), e);
            return Results.Ok();
        }
    }

    private const int MaxLiveKitWebhookBytes = 64 * 1024;

    /// <summary>
    /// LiveKit: <c>ingress_started</c> / <c>ingress_ended</c> for a room named after a channel id.
    /// Webhooks can fail to fire; <see cref="LiveKitLivenessPoller"/> catches up on those it missed.
    /// </summary>
    private static async Task<IResult> LiveKitWebhookAsync(HttpContext http, LiveKitRooms rooms, LiveKitTokens tokens, IOptions<StreamOptions> streams, IOptions<LiveKitOptions> liveKit)
    {
        if (!streams.Value.UsesLiveKit || !liveKit.Value.IsConfigured)
        {
            return Results.NotFound();
        }

        // LiveKit's events are a few KB.
        if (!RequestBodyLimit.Apply(http, MaxLiveKitWebhookBytes))
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (RequestBodyLimit.IsTooLarge(e))
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (!tokens.VerifyWebhook(http.Request.Headers.Authorization.ToString(), body))
        {
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return Results.BadRequest();
        }

        var kind = LiveKitTwirp.Read(root, "event", "event");
        var ingress = LiveKitTwirp.Property(root, "ingressInfo", "ingress_info") ?? default;
        var ingressId = LiveKitTwirp.Read(ingress, "ingressId", "ingress_id");
        if (kind is not ("ingress_started" or "ingress_ended") || ingressId is null
            || LiveKitNames.ChannelOf(LiveKitTwirp.Read(ingress, "roomName", "room_name")) is not { } channelId)
        {
            return Results.Ok(); // other events, other rooms: nothing for us
        }

        // The same calls LiveKitLivenessPoller makes when it finds a webhook never came.
        if (kind == "ingress_started")
        {
            await rooms.StartedAsync(channelId, ingressId);
        }
        else
        {
            await rooms.FinishedAsync(channelId, ingressId);
        }

        return Results.Ok();
    }

    /// <summary>
    /// nginx-rtmp posts <c>application/x-www-form-urlencoded</c>; anything else (or a form that does
    /// not parse) comes from something that is not nginx, and is its mistake, not a 500.
    /// </summary>
    private static async Task<IFormCollection?> ReadCallbackFormAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static IResult NotAForm() => Results.Json(
        new { code = ErrorCodes.BadUserInput, message = "Ingest callbacks are form posts (application/x-www-form-urlencoded)." },
        statusCode: StatusCodes.Status400BadRequest);

    private static async Task<Guid?> FindChannelAsync(IClusterClient cluster, string key) =>
        key.Length is 0 or > 200 ? null : await cluster.GetGrain<IStreamKeyLookupGrain>(0).FindChannelAsync(StreamKeys.Hash(key));

    /// <summary>nginx numbers its client connections; the server the encoder dialled tells ingest nodes apart.</summary>
    private static IngestConnection Connection(IFormCollection form)
    {
        var server = Uri.TryCreate(form["tcurl"].ToString(), UriKind.Absolute, out var tcUrl) ? tcUrl.Authority : "rtmp";
        return new IngestConnection(IngestKind.Rtmp, $"{server}#{form["clientid"]}");
    }

    private static bool HasSecret(HttpContext http, StreamOptions settings) =>
        !string.IsNullOrEmpty(settings.IngestSecret) && Equal(http.Request.Query["secret"].ToString(), settings.IngestSecret);

    private static bool Equal(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Streams:IngestSecret is not set: nginx-rtmp ingest callbacks will all be refused (./wg run sets one)")]
    private static partial void LogNoIngestSecret(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest heartbeat could not be processed; answering 200 so the encoder stays connected")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
