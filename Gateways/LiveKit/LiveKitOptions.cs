namespace WgStream.Gateways.LiveKit;

/// <summary>Bound from the <c>LiveKit</c> section; used when <c>Streams:Provider</c> is <c>LiveKit</c>.</summary>
public sealed class LiveKitOptions
{
    public const string Section = "LiveKit";

    /// <summary>The LiveKit server, e.g. <c>https://example.livekit.cloud</c> (Twirp API) — also what clients connect to (ws/wss).</summary>
    public string Url { get; set; } = "http://127.0.0.1:7880";

    /// <summary>LiveKit API key, named in every token the Api signs with <c>ApiSecret</c> (its server API calls and viewer tokens).</summary>
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>HS256 signing secret; at least 32 characters (LiveKit's generated secrets are).</summary>
    public string ApiSecret { get; set; } = string.Empty;

    /// <summary>How long a viewer token lets its holder join (LiveKit checks it at connect time only).</summary>
    public TimeSpan ViewerTokenLifetime { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Tolerated clock difference when checking webhook tokens.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the Api asks LiveKit which rooms have a publisher and puts channels live or offline
    /// to match (webhooks can fail to fire); zero or less turns the poll off.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => ApiKey.Length > 0 && ApiSecret.Length > 0;

    /// <summary>The server's address for clients: ws(s) where the API is http(s).</summary>
    public string ClientUrl => Url.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? "ws" + Url[4..] : Url;
}
