namespace WgStream.Gateways.Janus;

/// <summary>
/// Bound from <c>Streams:Janus</c>: the Janus gateway that serves sub-second WebRTC playback. Without
/// <see cref="Url"/> there is no WebRTC and players use HLS alone.
/// </summary>
public sealed class JanusOptions
{
    public const string Section = "Streams:Janus";

    /// <summary>The Janus HTTP API as this node reaches it (<c>http://127.0.0.1:8188/janus</c>); empty turns WebRTC off.</summary>
    public string? Url { get; set; }

    /// <summary>The Janus HTTP API as browsers reach it; defaults to <see cref="Url"/>.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Janus's <c>token_auth_secret</c>: every request carries a token signed with it.</summary>
    public string? TokenSecret { get; set; }

    /// <summary>The streaming plugin's <c>admin_key</c>, needed to create mountpoints.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Where Janus receives the relay's RTP (the mountpoint ports are on this host).</summary>
    public string RtpHost { get; set; } = "127.0.0.1";

    /// <summary>How long a viewer's token opens Janus (a new one is fetched for each playback).</summary>
    public TimeSpan ViewerTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>WebRTC viewers per channel; past it, viewers are sent to HLS (which serves the masses).</summary>
    public int MaxViewersPerChannel { get; set; } = 50;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url) && !string.IsNullOrWhiteSpace(TokenSecret) && !string.IsNullOrWhiteSpace(AdminKey);
}
