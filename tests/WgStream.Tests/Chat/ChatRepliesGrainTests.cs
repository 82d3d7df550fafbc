using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>Replies, mentions, the pinned message and /clear in the room grain, with its real storage and stream.</summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatRepliesGrainTests(ChatClusterFixture fixture)
{
    private const string MentionJobs = "SELECT count(*) FROM notification_jobs WHERE kind = 'Mention' AND payload->>'userId' = @id::text";

    [Fact]
    public async Task A_reply_quotes_its_parent_mentions_become_fragments_and_both_notify_once_posted()
    {
        var room = await fixture.NewRoomAsync();
        var alice = await fixture.RegisterAsync();
        var bob = await fixture.RegisterAsync();
        var carol = await fixture.RegisterAsync();
        var parent = await room.SendAsync(alice, "who is streaming tonight? " + new string('x', 120));

        var reply = await room.Grain.SendAsync(bob.Id, $"@{alice.Username.ToUpperInvariant()} me, and ask @{carol.Username} too; not @nobody_here or me@{carol.Username}.example", replyTo: parent.Id);
        Assert.Equal((parent.Id, alice.Id, alice.Username), (reply.Reply!.MessageId, reply.Reply.SenderId, reply.Reply.Username));
        Assert.Equal(101, reply.Reply.Text.Length); // 100 characters and an ellipsis
        var mentions = reply.Fragments.Where(f => f.Kind == ChatFragmentKind.Mention).ToList();
        Assert.Equal([($"@{alice.Username.ToUpperInvariant()}", (Guid?)alice.Id), ($"@{carol.Username}", carol.Id)], mentions.Select(f => (f.Text, f.UserId)));
        Assert.Equal(reply.Text, string.Concat(reply.Fragments.Select(f => f.Text)));

        // Stored with the message: the reply and the mentions read back after the room moves.
        await fixture.DeactivateAsync(room.Grain);
        var stored = (await room.Grain.GetHistoryAsync(10, null)).Messages.Single(m => m.Id == reply.Id);
        Assert.Equal(reply.Reply, stored.Reply);
        Assert.Equal(reply.Fragments, stored.Fragments);

        // Alice (replied to and mentioned) hears once, Carol once, Bob (the sender) never.
        Assert.Equal(1, await fixture.CountAsync(MentionJobs, alice.Id));
        Assert.Equal(1, await fixture.CountAsync(MentionJobs, carol.Id));
        Assert.Equal(0, await fixture.CountAsync(MentionJobs, bob.Id));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM notification_jobs WHERE kind = 'Mention' AND payload->>'userId' = @id::text AND (payload->>'reply')::boolean", alice.Id));

        // Someone who blocked the sender is not told.
        await fixture.GrainFactory.GetGrain<GrainInterfaces.Accounts.IUserBlocksGrain>(carol.Id).BlockAsync(bob.Id);
        await room.SendAsync(bob, $"@{carol.Username} again");
        Assert.Equal(1, await fixture.CountAsync(MentionJobs, carol.Id));
    }

    [Fact]
    public async Task Replies_to_what_is_not_visible_here_are_refused()
    {
        var room = await fixture.NewRoomAsync();
        var other = await fixture.NewRoomAsync();
        var viewer = await fixture.RegisterAsync();
        var elsewhere = await other.SendAsync(viewer, "in another room");
        var deleted = await room.SendAsync(viewer, "soon gone");
        await room.Grain.DeleteMessageAsync(room.Id, deleted.Id);

        await RefusedAsync(() => room.Grain.SendAsync(viewer.Id, "re", replyTo: Guid.NewGuid()), ErrorCodes.NotFound, "replyTo");
        await RefusedAsync(() => room.Grain.SendAsync(viewer.Id, "re", replyTo: elsewhere.Id), ErrorCodes.NotFound, "replyTo");
        await RefusedAsync(() => room.Grain.SendAsync(viewer.Id, "re", replyTo: deleted.Id), ErrorCodes.NotFound, "replyTo");

        // Past the memory buffer (10 here), the parent is found in the table.
        var old = await room.SendAsync(viewer, "an old one");
        for (var i = 0; i < ChatClusterFixture.HistorySize + 2; i++)
        {
            await room.SendAsync(room.Owner, $"filler {i}");
        }

        Assert.Equal(old.Id, (await room.Grain.SendAsync(room.Id, "answering the old one", replyTo: old.Id)).Reply!.MessageId);
    }

    [Fact]
    public async Task Moderators_pin_one_message_for_a_while_and_clear_the_view_which_history_then_starts_after()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        var first = await room.SendAsync(viewer, "first");
        var second = await room.SendAsync(viewer, "second");
        await using var chat = await fixture.SubscribeChatAsync(room.Id);

        await RefusedAsync(() => room.Grain.PinMessageAsync(viewer.Id, first.Id, TimeSpan.FromMinutes(5)), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.PinMessageAsync(moderator.Id, first.Id, TimeSpan.FromSeconds(5)), ErrorCodes.BadUserInput, "seconds");
        await RefusedAsync(() => room.Grain.PinMessageAsync(moderator.Id, first.Id, TimeSpan.FromDays(2)), ErrorCodes.BadUserInput, "seconds");
        await RefusedAsync(() => room.Grain.PinMessageAsync(moderator.Id, Guid.NewGuid(), TimeSpan.FromMinutes(5)), ErrorCodes.NotFound, "messageId");
        await RefusedAsync(() => room.Grain.UnpinMessageAsync(moderator.Id), ErrorCodes.NotFound);

        var pin = await room.Grain.PinMessageAsync(moderator.Id, first.Id, TimeSpan.FromMinutes(5));
        Assert.InRange(pin.Until - pin.PinnedAt, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        var replaced = await room.Grain.PinMessageAsync(moderator.Id, second.Id, TimeSpan.FromMinutes(10));
        var pinned = await chat.WaitForAsync(e => e.Kind == ChatEventKind.MessagePinned && e.Pin!.Message.Id == second.Id);
        Assert.Equal(moderator.Id, pinned.Pin!.PinnedBy);
        await fixture.DeactivateAsync(room.Grain);
        var reread = (await room.Grain.GetInfoAsync()).Pinned!;
        Assert.Equal((replaced.Message.Id, replaced.Message.Text, replaced.PinnedBy, replaced.Until), (reread.Message.Id, reread.Message.Text, reread.PinnedBy, reread.Until));

        // A deleted message does not stay pinned.
        await room.Grain.DeleteMessageAsync(moderator.Id, second.Id);
        Assert.Null((await room.Grain.GetInfoAsync()).Pinned);
        await room.Grain.PinMessageAsync(moderator.Id, first.Id, TimeSpan.FromMinutes(1));
        await room.Grain.UnpinMessageAsync(room.Id);
        await chat.WaitForAsync(e => e.Kind == ChatEventKind.MessageUnpinned && e.MessageId == first.Id);
        Assert.Null((await room.Grain.GetInfoAsync()).Pinned);

        // Clear: live clients hear it; history (memory and table) starts after it; the rows stay.
        await RefusedAsync(() => room.Grain.ClearChatAsync(viewer.Id), ErrorCodes.Forbidden);
        await room.Grain.ClearChatAsync(moderator.Id);
        var cleared = await chat.WaitForAsync(e => e.Kind == ChatEventKind.ChatCleared);
        Assert.Empty((await room.Grain.GetHistoryAsync(50, null)).Messages);
        await RefusedAsync(() => room.Grain.SendAsync(viewer.Id, "re", replyTo: first.Id), ErrorCodes.NotFound, "replyTo");
        var after = await room.SendAsync(viewer, "after the clear");
        Assert.True(after.Seq > cleared.Seq);
        await fixture.DeactivateAsync(room.Grain);
        var history = await room.Grain.GetHistoryAsync(50, null);
        Assert.Equal(["after the clear"], history.Messages.Select(m => m.Text));
        Assert.False(history.HasMore);
        Assert.Equal(2, await fixture.CountAsync("SELECT count(*) FROM chat_messages WHERE channel_id = @id AND deleted_at IS NULL AND body IN ('first', 'after the clear')", room.Id));

        var log = (await fixture.GrainFactory.GetGrain<IModerationLogGrain>(0).ReadAsync(room.Id, room.Id, 10, null)).Edges.Select(e => e.Node.Action).ToList();
        Assert.Equal(ModerationAction.ClearChat, log[0]);
        Assert.Contains(ModerationAction.PinMessage, log);
        Assert.Contains(ModerationAction.UnpinMessage, log);
    }
}
