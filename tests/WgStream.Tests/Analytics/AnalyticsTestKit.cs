using WgStream.GrainInterfaces.Analytics;
using WgStream.GrainInterfaces.Streams;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Analytics;

/// <summary>A sample as stored (the broadcast_samples row).</summary>
public sealed record SampleRow(DateTimeOffset At, int DurationMs, int Viewers, int PeakViewers, long ViewerMs, int ChatMessages, int Chatters, int Follows, int? HeartbeatAgeMs)
{
    public DateTimeOffset End => At + TimeSpan.FromMilliseconds(DurationMs);
}

/// <summary>Going live and reading what the samplers stored.</summary>
public static class AnalyticsTestKit
{
    public static IngestConnection LiveKit() => new(IngestKind.LiveKit, $"ingress-{Guid.NewGuid():N}");

    /// <summary>Goes live over LiveKit (no ingest heartbeat to keep up); returns the stream id.</summary>
    public static async Task<Guid> GoLiveAsync(this IBroadcasterGrain broadcaster, IngestConnection connection)
    {
        var result = await broadcaster.PublishAsync(connection, null);
        Assert.Equal(PublishOutcome.Accepted, result.Outcome);
        return result.StreamId!.Value;
    }

    public static async Task<IReadOnlyList<SampleRow>> SamplesAsync(this ClusterFixture fixture, Guid streamId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand("""
            SELECT at, duration_ms, viewers, peak_viewers, viewer_ms, chat_messages, chatters, follows, heartbeat_age_ms
              FROM broadcast_samples WHERE stream_id = @id ORDER BY at
            """);
        command.Parameters.AddWithValue("id", streamId);
        var rows = new List<SampleRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new SampleRow(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetInt32(8)));
        }

        return rows;
    }

    public static async Task<IReadOnlyList<SampleRow>> SamplesAtLeastAsync(this ClusterFixture fixture, Guid streamId, int count, TimeSpan? within = null)
    {
        IReadOnlyList<SampleRow> samples = [];
        await DriftTestKit.EventuallyAsync(async () => (samples = await fixture.SamplesAsync(streamId)).Count >= count, $"Fewer than {count} samples of {streamId} were written.", within ?? TimeSpan.FromSeconds(60));
        return samples;
    }

    /// <summary>Waits until the broadcast's end has been finalized (its exact totals stored), then reads its summary.</summary>
    public static async Task<BroadcastSummary> FinalSummaryAsync(this ClusterFixture fixture, Guid streamId)
    {
        await DriftTestKit.EventuallyAsync(
            async () => await fixture.ScalarAsync<DateTime?>("SELECT finalized_at FROM broadcast_stats WHERE stream_id = @id", streamId) is not null,
            $"Broadcast {streamId} was never finalized.");
        var summary = await fixture.GrainFactory.GetGrain<IAnalyticsReaderGrain>(0).SummaryAsync(streamId);
        Assert.NotNull(summary);
        Assert.True(summary.Final);
        return summary;
    }

    /// <summary>The spans follow each other without a gap or an overlap from the broadcast's start to its end.</summary>
    public static void AssertTiles(IReadOnlyList<SampleRow> samples, DateTimeOffset start, DateTimeOffset end)
    {
        Assert.NotEmpty(samples);
        AssertClose(start, samples[0].At);
        for (var i = 1; i < samples.Count; i++)
        {
            AssertClose(samples[i - 1].End, samples[i].At);
        }

        AssertClose(end, samples[^1].End);
    }

    /// <summary>Within the millisecond a span's length is rounded to (PostgreSQL keeps microseconds).</summary>
    public static void AssertClose(DateTimeOffset expected, DateTimeOffset actual) =>
        Assert.True((expected - actual).Duration() <= TimeSpan.FromMilliseconds(1), $"expected {expected:O}, was {actual:O}");
}
