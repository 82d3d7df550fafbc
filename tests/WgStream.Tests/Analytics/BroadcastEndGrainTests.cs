using WgStream.GrainInterfaces.Analytics;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Analytics;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Analytics.AnalyticsTestKit;

namespace WgStream.Tests.Analytics;

/// <summary>
/// Who finalizes an ended broadcast: its silo's writer, right after the last sample. A read in
/// the moments before answers exact chat counted on the fly and says the figures are not final
/// yet, without storing anything; an end left unfinalized past the grace (its silo stopped) is
/// finalized by the first read.
/// </summary>
[Collection(AnalyticsClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class BroadcastEndGrainTests(AnalyticsClusterFixture fixture)
{
    private const string FinalizedAt = "SELECT finalized_at FROM broadcast_stats WHERE stream_id = @id";

    [Fact]
    public async Task A_fresh_end_is_left_to_its_writer_and_a_lost_one_is_finalized_by_the_first_read()
    {
        var owner = await fixture.RegisterAsync();
        var viewer = await fixture.RegisterAsync();
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(owner.Id);
        var room = fixture.GrainFactory.GetGrain<IChatRoomGrain>(owner.Id);
        var connection = LiveKit();
        var streamId = await broadcaster.GoLiveAsync(connection);
        await room.SendAsync(viewer.Id, "one");
        await room.SendAsync(viewer.Id, "two");
        await broadcaster.PublishDoneAsync(connection);

        var written = await fixture.FinalSummaryAsync(streamId);
        Assert.True(written.Final);
        Assert.Equal((2, 1), (written.ChatMessages, written.Chatters));

        // As if the writer had not got to it yet: nothing final stored for an end a moment ago.
        var reader = fixture.GrainFactory.GetGrain<IAnalyticsReaderGrain>(0);
        await fixture.ScalarAsync<object>("UPDATE broadcast_stats SET finalized_at = NULL, chat_messages = 0, chatters = NULL WHERE stream_id = @id", streamId);
        var fresh = await reader.SummaryAsync(streamId);
        Assert.NotNull(fresh);
        Assert.False(fresh.Final);
        Assert.False(fresh.IsLive);
        Assert.Equal((2, 1), (fresh.ChatMessages, fresh.Chatters));
        Assert.Null(await fixture.ScalarAsync<DateTime?>(FinalizedAt, streamId));

        // As if its silo had stopped before finalizing: the same broadcast, ended longer ago than the grace.
        var back = $"interval '{(int)(BroadcastFinalizer.EndGrace + TimeSpan.FromMinutes(1)).TotalSeconds} seconds'";
        await fixture.ScalarAsync<object>($"UPDATE streams SET started_at = started_at - {back}, ended_at = ended_at - {back} WHERE stream_id = @id", streamId);
        await fixture.ScalarAsync<object>($"UPDATE chat_messages SET sent_at = sent_at - {back} WHERE channel_id = @id", owner.Id);
        var lost = await reader.SummaryAsync(streamId);
        Assert.NotNull(lost);
        Assert.True(lost.Final);
        Assert.Equal((2, 1), (lost.ChatMessages, lost.Chatters));
        Assert.NotNull(await fixture.ScalarAsync<DateTime?>(FinalizedAt, streamId));
    }
}
