using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>
/// The room publishes what it stored, once, in sequence order, in batches (group commit), on the
/// "chat" stream keyed by channel id; a cluster client subscribes as an Api node does.
/// </summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatStreamGrainTests(ChatClusterFixture fixture)
{
    private const int Senders = 10;
    private const int PerSender = 50;

    [Fact]
    public async Task Concurrent_senders_see_every_message_published_once_in_order_and_in_batches()
    {
        var (room, senders) = await RoomWithSendersAsync();
        await using var log = await fixture.SubscribeChatAsync(room.Id);

        // Each sender sends its messages one after another; all senders at once.
        var acknowledged = await Task.WhenAll(senders.Select(async (sender, s) =>
        {
            var acks = new List<ChatMessage>();
            for (var i = 0; i < PerSender; i++)
            {
                acks.Add(await room.SendAsync(sender, $"{s}:{i}"));
            }

            return acks;
        }));

        var events = await log.WaitForExactlyAsync(Senders * PerSender);
        AssertPublishedOnceInOrder(room, log, events, acknowledged.SelectMany(a => a).ToList());
        for (var s = 0; s < Senders; s++)
        {
            var expected = Enumerable.Range(0, PerSender).Select(i => $"{s}:{i}").ToList();
            Assert.Equal(expected, acknowledged[s].Select(m => m.Text));
            Assert.Equal(expected, events.Where(e => e.Message!.SenderId == senders[s].Id).Select(e => e.Message!.Text));
        }
    }

    [Fact]
    public async Task A_burst_of_500_calls_in_flight_is_published_once_in_order_in_few_batches()
    {
        var (room, senders) = await RoomWithSendersAsync();
        await using var log = await fixture.SubscribeChatAsync(room.Id);

        var acknowledged = await Task.WhenAll(
            Enumerable.Range(0, PerSender).SelectMany(i => senders.Select((sender, s) => room.SendAsync(sender, $"{s}:{i}"))));

        var events = await log.WaitForExactlyAsync(Senders * PerSender);
        AssertPublishedOnceInOrder(room, log, events, acknowledged);
        // With all calls waiting together, batches hold many messages each.
        Assert.True(log.Batches.Count <= Senders * PerSender / 4, $"{log.Batches.Count} batches for {events.Count} messages.");
        // All stored too: the newest page of history is the 100 highest acknowledged seqs.
        Assert.Equal(Senders * PerSender, await fixture.CountAsync("SELECT count(*) FROM chat_messages WHERE channel_id = @id", room.Id));
        Assert.Equal(
            acknowledged.Select(m => m.Seq).Order().TakeLast(100),
            (await room.Grain.GetHistoryAsync(100, null)).Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task Moderation_is_published_in_order_and_refused_actions_publish_nothing()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        await using var log = await fixture.SubscribeChatAsync(room.Id);

        var message = await room.SendAsync(viewer, "hi");
        await RefusedAsync(() => room.Grain.DeleteMessageAsync(viewer.Id, message.Id), ErrorCodes.Forbidden);
        await room.Grain.DeleteMessageAsync(moderator.Id, message.Id);
        await room.Grain.TimeoutAsync(moderator.Id, viewer.Id, 60, "calm down");
        var until = (await room.Grain.GetStandingAsync(viewer.Id)).Ban!.Until;
        await RefusedAsync(() => room.SendAsync(viewer, "but"), ErrorCodes.Forbidden, "timeout");
        await room.Grain.UnbanAsync(moderator.Id, viewer.Id);
        await RefusedAsync(() => room.Grain.UnbanAsync(moderator.Id, viewer.Id), ErrorCodes.NotFound);
        await room.Grain.BanAsync(room.Id, viewer.Id, null);
        await RefusedAsync(() => room.Grain.UpdateSettingsAsync(viewer.Id, new ChatSettingsUpdate(false, null, null, null, null)), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, -1, null, null, null)), ErrorCodes.BadUserInput);
        var settings = await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, 5, null, null, true));
        await room.Grain.AddModeratorAsync(room.Id, (await fixture.RegisterAsync()).Id);

        var events = await log.WaitForExactlyAsync(6);
        Assert.Equal(
            [ChatEventKind.MessageAdded, ChatEventKind.MessageDeleted, ChatEventKind.UserBanned, ChatEventKind.UserUnbanned, ChatEventKind.UserBanned, ChatEventKind.SettingsChanged],
            events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(room.Id, e.ChannelId));
        AssertIncreasing(events.Select(e => e.Seq));
        Assert.Equal(message.Seq, events[0].Seq);
        Assert.Equal(message.Id, events[0].Message!.Id);
        Assert.Equal(message.Id, events[1].MessageId);
        Assert.Equal((viewer.Id, until, "calm down"), (events[2].UserId, events[2].Until, events[2].Reason));
        Assert.NotNull(until);
        Assert.InRange(until.Value, DateTimeOffset.UtcNow.AddSeconds(50), DateTimeOffset.UtcNow.AddSeconds(61));
        Assert.Equal(viewer.Id, events[3].UserId);
        Assert.Equal((viewer.Id, (DateTimeOffset?)null, (string?)null), (events[4].UserId, events[4].Until, events[4].Reason));
        Assert.Equal(settings, events[5].Settings);
        Assert.Equal(new ChatSettings(true, 5, false, 0, true), settings);

        // And the numbering goes on past the moderation events.
        var next = await room.SendAsync(room.Owner, "carry on");
        Assert.True(next.Seq > events[^1].Seq);
        Assert.Equal(next.Id, (await log.WaitForExactlyAsync(7))[^1].Message!.Id);
    }

    /// <summary>A room whose broadcaster and nine moderators send (moderators may send 100 messages per window).</summary>
    private async Task<(TestRoom Room, List<TestUser> Senders)> RoomWithSendersAsync()
    {
        var room = await fixture.NewRoomAsync();
        var senders = new List<TestUser> { room.Owner };
        senders.AddRange(await Task.WhenAll(Enumerable.Range(1, Senders - 1).Select(_ => fixture.NewModeratorAsync(room))));
        return (room, senders);
    }

    /// <summary>
    /// Only messages were published; each acknowledged message exactly once, as acknowledged; seqs
    /// strictly increase across batches; and there were fewer batches than messages.
    /// </summary>
    private static void AssertPublishedOnceInOrder(TestRoom room, ChatEventLog log, IReadOnlyList<ChatEvent> events, IReadOnlyList<ChatMessage> acknowledged)
    {
        Assert.All(events, e =>
        {
            Assert.Equal(ChatEventKind.MessageAdded, e.Kind);
            Assert.Equal(room.Id, e.ChannelId);
            Assert.NotNull(e.Message);
            Assert.Equal(e.Seq, e.Message.Seq);
        });
        AssertIncreasing(events.Select(e => e.Seq));
        Assert.Equal(acknowledged.Count, events.Count);
        var published = events.ToDictionary(e => e.Message!.Id, e => e.Message!);
        Assert.All(acknowledged, ack =>
        {
            Assert.True(published.TryGetValue(ack.Id, out var seen), $"{ack.Text} was acknowledged but not published.");
            Assert.Equal((ack.Seq, ack.SenderId, ack.Text, ack.SentAt), (seen.Seq, seen.SenderId, seen.Text, seen.SentAt));
        });

        var batches = log.Batches;
        Assert.All(batches, b =>
        {
            Assert.Equal(room.Id, b.ChannelId);
            Assert.NotEmpty(b.Events);
        });
        Assert.True(batches.Count < events.Count, $"{batches.Count} batches for {events.Count} messages: no group commit.");
    }

    private static void AssertIncreasing(IEnumerable<long> seqs)
    {
        long? previous = null;
        foreach (var seq in seqs)
        {
            Assert.True(previous is null || seq > previous, $"seq {seq} after {previous}");
            previous = seq;
        }
    }
}
