using GraphQL.Types;

namespace WgStream.Api.Streams.WebRtc;

/// <summary>What one viewer needs to watch a channel over WebRTC: where Janus is, a token that opens its streaming plugin until it expires, and the mountpoint with its PIN.</summary>
public sealed record WebRtcPlayback(string JanusUrl, string Token, string MountpointId, string Pin, DateTimeOffset ExpiresAt);

public sealed class WebRtcPlaybackType : ObjectGraphType<WebRtcPlayback>
{
    public WebRtcPlaybackType()
    {
        Name = "WebRtcPlayback";
        Description = "Sub-second playback through Janus (its streaming plugin): attach, then watch the mountpoint with the PIN. Fetch a new one for each playback.";
        Field(x => x.JanusUrl).Description("The Janus HTTP API.");
        Field(x => x.Token).Description("Opens Janus's streaming plugin (nothing else) until expiresAt.");
        Field(x => x.MountpointId);
        Field(x => x.Pin).Description("The mountpoint's PIN for \"watch\"; given to viewers only through this field.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("expiresAt").Resolve(ctx => ctx.Source.ExpiresAt);
    }
}
