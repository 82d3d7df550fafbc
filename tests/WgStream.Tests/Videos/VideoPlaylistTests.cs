using WgStream.Api.Videos.Recording;
using WgStream.GrainInterfaces.Videos;
using WgStream.Grains.Videos;

namespace WgStream.Tests.Videos;

[Trait(TestKind.Name, TestKind.Integration)]

public sealed class VideoPlaylistTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 1, 2, 3, 456, TimeSpan.Zero);

    [Fact]
    public void The_vod_playlist_lists_every_segment_with_its_length_and_ends()
    {
        var text = VideoPlaylist.Build(
        [
            new RecordedSegment(0, TimeSpan.FromSeconds(4.004), Start, false, 100),
            new RecordedSegment(1, TimeSpan.FromSeconds(4.6), Start.AddSeconds(4.004), false, 100),
            new RecordedSegment(2, TimeSpan.FromSeconds(1.5), Start.AddSeconds(8.604), false, 100),
        ]);

        Assert.Equal(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:5\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n"
            + "#EXT-X-PROGRAM-DATE-TIME:2026-12-04T01:02:03.456Z\n#EXTINF:4.004,\n00000.ts\n#EXTINF:4.600,\n00001.ts\n#EXTINF:1.500,\n00002.ts\n#EXT-X-ENDLIST\n",
            text);
    }

    [Fact]
    public void A_restarted_recorder_shows_as_a_discontinuity_with_its_own_wall_clock_and_a_gap_in_numbers_is_kept()
    {
        var text = VideoPlaylist.Build(
        [
            new RecordedSegment(0, TimeSpan.FromSeconds(4), Start, false, 1),
            new RecordedSegment(3, TimeSpan.FromSeconds(4), Start.AddSeconds(30), true, 1),
        ]);

        Assert.Contains("#EXTINF:4.000,\n00000.ts\n#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2026-12-04T01:02:33.456Z\n#EXTINF:4.000,\n00003.ts\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n'), l => l.StartsWith("#EXT-X-DISCONTINUITY", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_recording_has_no_playlist() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoPlaylist.Build([]));

    [Fact]
    public void The_recorders_event_playlist_yields_finished_segments_with_their_wall_clock()
    {
        // As ffmpeg 7 writes it with -hls_playlist_type event and program_date_time.
        var text = """
            #EXTM3U
            #EXT-X-VERSION:6
            #EXT-X-TARGETDURATION:4
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-PLAYLIST-TYPE:EVENT
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-PROGRAM-DATE-TIME:2026-12-04T01:02:03.456+0000
            #EXTINF:4.000000,
            00000.ts
            #EXT-X-PROGRAM-DATE-TIME:2026-12-04T01:02:07.456+0000
            #EXTINF:3.966667,
            00001.ts
            #EXTINF:4.0
            """;

        var segments = RecorderPlaylist.Parse(text);

        Assert.Equal(
            [new FinishedSegment("00000.ts", TimeSpan.FromSeconds(4), Start), new FinishedSegment("00001.ts", TimeSpan.FromSeconds(3.966667), Start.AddSeconds(4))],
            segments);
    }

    [Theory]
    [InlineData("../secret.ts")]
    [InlineData("/etc/passwd")]
    [InlineData("a/b.ts")]
    public void A_segment_name_outside_the_run_directory_is_ignored(string name) =>
        Assert.Empty(RecorderPlaylist.Parse($"#EXTM3U\n#EXTINF:4.0,\n{name}\n"));

    [Theory]
    [InlineData("2026-12-04T01:02:03.456+0000")]
    [InlineData("2026-12-04T01:02:03.456+00:00")]
    [InlineData("2026-12-04T01:02:03.456Z")]
    [InlineData("2026-12-04T03:02:03.456+0200")]
    public void Program_date_times_are_read_with_or_without_the_colon(string value) =>
        Assert.Equal(Start, RecorderPlaylist.ParseDate(value));
}
