using WgStream.GrainInterfaces.Common;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>
/// A send with a caller-chosen message id is idempotent, which is what lets the Api retry a send
/// whose answer was lost (issue 15): the same id again, sequentially, concurrently or after the room
/// was reactivated from the table, gives back the one message, stored and published once, and
/// counted once against the flood limit.
/// </summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatRetryGrainTests(ChatClusterFixture fixture)
{
    [Fact]
    public async Task Sending_the_same_id_again_returns_the_first_message_and_adds_nothing()
    {
        var room = await fixture.NewRoomAsync();
        var viewer = await fixture.RegisterAsync();
        await using var log = await fixture.SubscribeChatAsync(room.Id);
        var id = Guid.CreateVersion7();

        var first = await room.Grain.SendAsync(viewer.Id, "once", id);
        var again = await room.Grain.SendAsync(viewer.Id, "once", id);

        Assert.Equal(id, first.Id);
        Assert.Equal((first.Id, first.Seq, first.SentAt), (again.Id, again.Seq, again.SentAt));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM chat_messages WHERE channel_id = @id", room.Id));
        var published = Assert.Single(await log.WaitForExactlyAsync(1));
        Assert.Equal(id, published.Message!.Id);

        // Retries are not new messages for the flood limit either: MessagesPerWindow - 1 more fit.
        for (var i = 0; i < 3; i++)
        {
            await room.Grain.SendAsync(viewer.Id, "once", id);
        }

        for (var i = 1; i < ChatClusterFixture.MessagesPerWindow; i++)
        {
            await room.SendAsync(viewer, $"new {i}");
        }

        await RefusedAsync(() => room.SendAsync(viewer, "one too many"), ErrorCodes.RateLimited);
    }

    [Fact]
    public async Task Concurrent_copies_of_one_send_store_it_once()
    {
        var room = await fixture.NewRoomAsync();
        var id = Guid.CreateVersion7();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => room.Grain.SendAsync(room.Owner.Id, "burst", id)));

        Assert.Single(answers.Select(m => (m.Id, m.Seq)).Distinct());
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM chat_messages WHERE channel_id = @id", room.Id));
        Assert.Equal(["burst"], await room.HistoryTextsAsync());
    }

    [Fact]
    public async Task A_retry_after_the_room_moved_finds_the_stored_message()
    {
        var room = await fixture.NewRoomAsync();
        var id = Guid.CreateVersion7();
        var first = await room.Grain.SendAsync(room.Owner.Id, "before the move", id);

        // As after a failover: the next activation knows the message only from the table.
        await fixture.DeactivateAsync(room.Grain);
        var retried = await room.Grain.SendAsync(room.Owner.Id, "before the move", id);

        Assert.Equal((first.Id, first.Seq), (retried.Id, retried.Seq));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM chat_messages WHERE channel_id = @id", room.Id));
        var next = await room.SendAsync(room.Owner, "after the move");
        Assert.True(next.Seq > first.Seq);
    }

    [Fact]
    public async Task Another_senders_message_id_is_refused()
    {
        var room = await fixture.NewRoomAsync();
        var viewer = await fixture.RegisterAsync();
        var id = Guid.CreateVersion7();
        await room.Grain.SendAsync(room.Owner.Id, "mine", id);

        var refused = await RefusedAsync(() => room.Grain.SendAsync(viewer.Id, "yours?", id), ErrorCodes.BadUserInput);

        Assert.Equal("messageId", refused.Field);
        Assert.Equal(["mine"], await room.HistoryTextsAsync());
    }
}
