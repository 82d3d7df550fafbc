using WgStream.Api.Streams.Transcoding;
using WgStream.Grains.Streams;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Tests.Streams;

/// <summary>The ladder's plan and the speed it is judged by, without processes.</summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class HlsLadderTests
{
    private static readonly IReadOnlyList<RenditionOptions> Defaults = RenditionOptions.Defaults;

    [Theory]
    [InlineData(1080, new[] { "source", "480p", "360p" })]
    [InlineData(720, new[] { "source", "480p", "360p" })]
    [InlineData(480, new[] { "source", "360p" })]
    [InlineData(360, new[] { "source" })]
    [InlineData(240, new[] { "source" })]
    public void Rungs_below_the_source_are_encoded_and_the_source_passed_through(int height, string[] expected)
    {
        var source = new SourceInfo("h264", height * 16 / 9, height, 30, true);
        Assert.Equal(expected, HlsLadder.Plan(Defaults, source, passthroughOnly: false).Select(r => r.Name));
    }

    [Fact]
    public void An_unknown_source_gets_the_whole_ladder_and_the_fallback_the_source_alone()
    {
        Assert.Equal(["source", "480p", "360p"], HlsLadder.Plan(Defaults, null, passthroughOnly: false).Select(r => r.Name));
        Assert.Equal(["source"], HlsLadder.Plan(Defaults, new SourceInfo("h264", 1920, 1080, 60, true), passthroughOnly: true).Select(r => r.Name));
    }

    [Fact]
    public void A_ladder_without_passthrough_encodes_every_rung_and_falls_back_to_the_source()
    {
        RenditionOptions[] ladder = [new() { Name = "720p", Height = 720, VideoBitrateKbps = 3000 }, new() { Name = "360p", Height = 360, VideoBitrateKbps = 800 }];
        var source = new SourceInfo("h264", 1920, 1080, 30, true);
        Assert.Equal(["720p", "360p"], HlsLadder.Plan(ladder, source, passthroughOnly: false).Select(r => r.Name));
        Assert.Equal(["source"], HlsLadder.Plan(ladder, source, passthroughOnly: true).Select(r => r.Name));
    }

    [Fact]
    public void The_arguments_keyframe_each_encoded_rung_where_the_source_is_and_map_every_rung_to_the_master_playlist()
    {
        var options = new StreamOptions();
        var source = new SourceInfo("h264", 1280, 720, 60, true);
        var rungs = HlsLadder.Plan(Defaults, source, passthroughOnly: false);
        var args = HlsLadder.Arguments(options, "rtmp://127.0.0.1:1935/hls/x", "/tmp/x", rungs, source);
        var joined = string.Join(' ', args);
        Assert.Contains("-c:v:0 copy", joined, StringComparison.Ordinal);
        Assert.Contains("-force_key_frames:v:1 source", joined, StringComparison.Ordinal);
        Assert.Contains("-force_key_frames:v:2 source", joined, StringComparison.Ordinal);
        Assert.Contains("[0:v:0]split=2[e0][e1];[e0]fps=30,scale=-2:480,format=yuv420p[v0];[e1]fps=30,scale=-2:360,format=yuv420p[v1]", joined, StringComparison.Ordinal);
        Assert.Equal("v:0,a:0,name:source v:1,a:1,name:480p v:2,a:2,name:360p", args[args.ToList().IndexOf("-var_stream_map") + 1]);
        Assert.Equal("1", args[args.ToList().IndexOf("-hls_time") + 1]);
        Assert.Contains("program_date_time", args[args.ToList().IndexOf("-hls_flags") + 1], StringComparison.Ordinal);
        Assert.Equal("/tmp/x/%v/live.m3u8", args[^1]);
    }

    [Fact]
    public void A_source_without_audio_maps_video_only()
    {
        var source = new SourceInfo("h264", 1280, 720, 30, false);
        var args = HlsLadder.Arguments(new StreamOptions(), "rtmp://x/hls/y", "/tmp/y", HlsLadder.Plan(Defaults, source, false), source);
        Assert.DoesNotContain("0:a:0", args);
        Assert.Equal("v:0,name:source v:1,name:480p v:2,name:360p", args[args.ToList().IndexOf("-var_stream_map") + 1]);
    }

    [Fact]
    public void Speed_is_media_time_over_wall_time_in_the_window_not_since_the_start()
    {
        var speed = new EncodingSpeed(TimeSpan.FromSeconds(5));
        var second = TimeSpan.FromSeconds(1);
        var wall = TimeSpan.Zero;
        // A slow start (3 s of wall time for 1 s of media), then real time.
        Feed(speed, wall, 0);
        wall += 3 * second;
        Feed(speed, wall, 1_000_000);
        Assert.Equal(1.0 / 3, speed.Current!.Value, 2);
        for (var i = 0; i < 10; i++)
        {
            wall += second;
            Feed(speed, wall, 2_000_000 + (i * 1_000_000));
        }

        Assert.Equal(1.0, speed.Current!.Value, 2);
        // Falling behind: half a second of media per second.
        for (var i = 0; i < 10; i++)
        {
            wall += second;
            Feed(speed, wall, 11_000_000 + (i * 500_000));
        }

        Assert.Equal(0.5, speed.Current!.Value, 2);
    }

    [Fact]
    public void Probe_output_is_read_for_size_rate_and_audio()
    {
        var info = SourceProbe.Parse("""{"streams":[{"codec_name":"h264","codec_type":"video","width":1280,"height":720,"r_frame_rate":"30000/1001","avg_frame_rate":"0/0"},{"codec_name":"aac","codec_type":"audio"}]}""");
        Assert.NotNull(info);
        Assert.Equal(("h264", 1280, 720, true), (info.VideoCodec, info.Width, info.Height, info.HasAudio));
        Assert.Equal(29.97, info.Fps, 2);
        Assert.Null(SourceProbe.Parse("""{"streams":[{"codec_name":"aac","codec_type":"audio"}]}"""));
    }

    private static void Feed(EncodingSpeed speed, TimeSpan wall, long mediaUs)
    {
        speed.Read($"out_time_us={mediaUs}", wall);
        speed.Read("speed=1x", wall);
        speed.Read("progress=continue", wall);
    }
}
