using WgStream.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using WgStream.Api.Streams.Transcoding;
using WgStream.Api.Streams.WebRtc;
using WgStream.Gateways.Janus;

namespace WgStream.Tests.Streams;

/// <summary>The streaming Api with a real Janus beside it, as <c>./wg run</c> ships them.</summary>
public sealed class JanusStreamsFixture : StreamsFixture
{
    public JanusProcess Janus { get; } = new();

    protected override IDictionary<string, string> Settings
    {
        get
        {
            var settings = base.Settings;
            foreach (var (name, value) in Janus.ApiSettings)
            {
                settings[name] = value;
            }

            // No WebRTC viewer may join here: the limit's refusal is what these tests check (the
            // browser test watches through Janus with the shipped limit).
            settings["WG_Streams__Janus__MaxViewersPerChannel"] = "0";

            return settings;
        }
    }

    public override async Task InitializeAsync()
    {
        await Janus.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Janus.DisposeAsync();
    }

    /// <summary>The Api's own Janus client, pointed at this Janus.</summary>
    public JanusStreamingClient JanusClient() => new(new OneClientFactory(), Options.Create(new JanusOptions
    {
        Url = Janus.Url,
        TokenSecret = Janus.TokenSecret,
        AdminKey = Janus.AdminKey,
    }), TimeProvider.System);

    private sealed class OneClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new() { Timeout = TimeSpan.FromSeconds(5) };
    }
}

/// <summary>
/// A live broadcast gets a Janus mountpoint that receives its video and audio as RTP from the
/// relay, and loses it when the broadcast ends. (Browser playback through it comes with the player.)
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class WebRtcRelayTests(JanusStreamsFixture fixture) : IClassFixture<JanusStreamsFixture>
{
    [Fact]
    public async Task A_live_broadcast_feeds_its_janus_mountpoint_until_it_ends()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var key = await fixture.StreamKeyAsync(owner);
        var janus = fixture.JanusClient();
        var mountpoint = WebRtcRelay.MountpointIdFor(account.Id);
        var secret = WebRtcRelay.MountpointSecret(fixture.Janus.TokenSecret, account.Id);
        await using var ffmpeg = FfmpegPublisher.Start($"{fixture.IngestUrl}/{key}");

        // Both media arrive: Janus saw a packet of each within the last second.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JanusMountpointInfo? info = null;
        while (info is not { MediaAgesMs: [< 1000, < 1000] })
        {
            Assert.True(DateTime.UtcNow < deadline, $"mountpoint {mountpoint}: {(info is null ? "none" : string.Join(", ", info.MediaAgesMs))}\n{fixture.Janus.Output}");
            await Task.Delay(500);
            info = await janus.InfoAsync(mountpoint, secret, CancellationToken.None);
        }

        // The test encoder sends Constrained Baseline without B-frames: passed through, not encoded again.
        await fixture.Api.WaitForOutputAsync($"Channel {account.Id}: WebRTC mountpoint on RTP ports");
        await fixture.Api.WaitForOutputAsync("video passed through: True");
        // Viewers are handed playback through the Api only: here the channel's limit is reached.
        var busy = await fixture.CreateClient().SendAsync("query($c: ID!) { webRtcPlayback(channelId: $c) { token pin } }", new { c = account.Id });
        Assert.Equal("BUSY", busy.ErrorCode);
        Assert.DoesNotContain(WebRtcRelay.MountpointPin(fixture.Janus.TokenSecret, account.Id), busy.Body, StringComparison.Ordinal);

        // Without the secret nobody else can look, or destroy it.
        await Assert.ThrowsAsync<JanusException>(() => janus.DestroyAsync(mountpoint, "not-the-secret", CancellationToken.None));

        await ffmpeg.StopAsync();
        var gone = DateTime.UtcNow.AddSeconds(15);
        while (await janus.InfoAsync(mountpoint, secret, CancellationToken.None) is not null)
        {
            Assert.True(DateTime.UtcNow < gone, "the mountpoint outlived its broadcast");
            await Task.Delay(300);
        }

        var offline = await fixture.CreateClient().SendAsync("query($c: ID!) { webRtcPlayback(channelId: $c) { token } }", new { c = account.Id });
        Assert.Equal("NOT_FOUND", offline.ErrorCode);
    }

    [Theory]
    [InlineData("Constrained Baseline", 30, false, "copy", "profile-level-id=42e01e;packetization-mode=1")]
    [InlineData("High", 40, false, "copy", "profile-level-id=640028;packetization-mode=1")]
    [InlineData("High", 40, true, "libx264", "profile-level-id=42e01f;packetization-mode=1")]
    [InlineData("High 10", 40, false, "libx264", "profile-level-id=42e01f;packetization-mode=1")]
    public void Video_is_passed_through_only_when_browsers_decode_it_in_real_time(string profile, int level, bool bFrames, string codec, string fmtp)
    {
        var (arguments, sdp) = WebRtcRelay.VideoArguments(new SourceInfo("h264", 1280, 720, 30, true, profile, level, bFrames));
        Assert.Equal(codec, arguments[1]);
        Assert.Equal(fmtp, sdp);
    }

    [Fact]
    public void Janus_tokens_name_the_streaming_plugin_and_an_expiry_and_are_signed()
    {
        var token = JanusTokens.Sign("secret", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var (data, signature) = (token[..token.IndexOf(':')], token[(token.IndexOf(':') + 1)..]);
        Assert.Equal("1800000000,janus,janus.plugin.streaming", data);
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData("secret"u8, System.Text.Encoding.UTF8.GetBytes(data))), signature);
    }
}
