using Orleans.Streams;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>AutoMod's hold queue in the room grain, with its real storage and stream.</summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AutoModGrainTests(ChatClusterFixture fixture)
{
    [Fact]
    public async Task A_held_message_waits_for_a_moderator_and_is_posted_on_approval_with_its_original_time()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, null, null, null, null, AutoModLevel: AutoModLevel.High));
        await using var queue = await HeldEventsAsync(room.Id);
        await using var chat = await fixture.SubscribeChatAsync(room.Id);

        await room.SendAsync(viewer, "hello all");
        var messageId = Guid.NewGuid();
        var held = await RefusedAsync(() => room.Grain.SendAsync(viewer.Id, "you are an idiot", messageId), ErrorCodes.Held, "automod");
        Assert.Contains("held for review", held.Message, StringComparison.Ordinal);
        // The sender's retry of the same send is answered the same, and queued once.
        await RefusedAsync(() => room.Grain.SendAsync(viewer.Id, "you are an idiot", messageId), ErrorCodes.Held);
        await room.SendAsync(moderator, "moderators are never held, idiot"); // nor the broadcaster
        await room.SendAsync(room.Owner, "idiot");

        Assert.Equal(["hello all", "moderators are never held, idiot", "idiot"], await room.HistoryTextsAsync());
        var heldEvent = Assert.Single(await queue.WaitForAsync(1));
        Assert.Equal(HeldMessageEventKind.Held, heldEvent.Kind);
        Assert.Equal(AutoModCategory.Insults, heldEvent.Held!.Category);
        var page = await room.Grain.GetHeldMessagesAsync(moderator.Id, 10, null);
        var waiting = Assert.Single(page.Edges).Node;
        Assert.Equal((messageId, viewer.Id, "you are an idiot", 0L), (waiting.Message.Id, waiting.Message.SenderId, waiting.Message.Text, waiting.Message.Seq));
        Assert.False(page.HasNextPage);

        // Viewers see nothing of the queue and decide nothing.
        await RefusedAsync(() => room.Grain.GetHeldMessagesAsync(viewer.Id, 10, null), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.ApproveHeldMessageAsync(viewer.Id, messageId), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.DenyHeldMessageAsync(viewer.Id, messageId), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.ApproveHeldMessageAsync(moderator.Id, Guid.NewGuid()), ErrorCodes.NotFound);

        var posted = await room.Grain.ApproveHeldMessageAsync(moderator.Id, messageId);
        Assert.Equal(waiting.Message.SentAt, posted.SentAt);
        Assert.Equal(messageId, posted.Id);
        Assert.True(posted.Seq > 0);
        Assert.Equal(["hello all", "moderators are never held, idiot", "idiot", "you are an idiot"], await room.HistoryTextsAsync());
        await chat.WaitForAsync(e => e.Kind == ChatEventKind.MessageAdded && e.Message!.Id == messageId);
        var approved = (await queue.WaitForAsync(2))[1];
        Assert.Equal((HeldMessageEventKind.Approved, messageId, (Guid?)moderator.Id), (approved.Kind, approved.MessageId, approved.ByUserId));

        // A second moderator's click, and the sender's late retry, change nothing.
        await RefusedAsync(() => room.Grain.ApproveHeldMessageAsync(room.Id, messageId), ErrorCodes.Conflict);
        await RefusedAsync(() => room.Grain.DenyHeldMessageAsync(room.Id, messageId), ErrorCodes.Conflict);
        Assert.Equal(messageId, (await room.Grain.SendAsync(viewer.Id, "you are an idiot", messageId)).Id);
        Assert.Empty((await room.Grain.GetHeldMessagesAsync(moderator.Id, 10, null)).Edges);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM chat_held_messages WHERE channel_id = @id", room.Id));
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM chat_messages WHERE message_id = @id", messageId));

        var entry = (await fixture.GrainFactory.GetGrain<IModerationLogGrain>(0).ReadAsync(room.Id, room.Id, 1, null)).Edges[0].Node;
        Assert.Equal((ModerationAction.ApproveHeldMessage, moderator.Id, (Guid?)viewer.Id, (Guid?)messageId), (entry.Action, entry.ActorId, entry.TargetUserId, entry.TargetMessageId));
        Assert.Contains("you are an idiot (AutoMod: insults)", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_queue_outlives_the_activation_a_denied_message_is_never_posted_and_levels_decide_what_is_held()
    {
        var room = await fixture.NewRoomAsync();
        var viewer = await fixture.RegisterAsync();
        await room.SendAsync(viewer, "an idiot, while AutoMod is off");
        await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, null, null, null, null, AutoModLevel: AutoModLevel.Low));
        await room.SendAsync(viewer, "an idiot, at low"); // mild insults only from high
        var first = await HoldAsync(room, viewer, "kys");
        var second = await HoldAsync(room, viewer, "ти ж повісся");

        await fixture.DeactivateAsync(room.Grain);
        var page = await room.Grain.GetHeldMessagesAsync(room.Id, 1, null);
        Assert.Equal(first, Assert.Single(page.Edges).Node.Message.Id);
        Assert.True(page.HasNextPage);
        var next = await room.Grain.GetHeldMessagesAsync(room.Id, 1, page.Edges[0].Cursor);
        Assert.Equal(second, Assert.Single(next.Edges).Node.Message.Id);
        await RefusedAsync(() => room.Grain.GetHeldMessagesAsync(room.Id, 1, "not-a-cursor"), ErrorCodes.BadUserInput, "after");
        await RefusedAsync(() => room.Grain.GetHeldMessagesAsync(room.Id, 0, null), ErrorCodes.BadUserInput, "first");

        await room.Grain.DenyHeldMessageAsync(room.Id, first);
        await room.Grain.ApproveHeldMessageAsync(room.Id, second);
        Assert.Equal(["an idiot, while AutoMod is off", "an idiot, at low", "ти ж повісся"], await room.HistoryTextsAsync());
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM chat_messages WHERE message_id = @id", first));
        var log = (await fixture.GrainFactory.GetGrain<IModerationLogGrain>(0).ReadAsync(room.Id, room.Id, 2, null)).Edges.Select(e => e.Node.Action);
        Assert.Equal([ModerationAction.ApproveHeldMessage, ModerationAction.DenyHeldMessage], log);

        await RefusedAsync(
            () => room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, null, null, null, null, AutoModLevel: (AutoModLevel)7)),
            ErrorCodes.BadUserInput,
            "autoModLevel");
        Assert.Equal(AutoModLevel.Low, (await room.Grain.GetInfoAsync()).Settings.AutoModLevel);
    }

    [Fact]
    public async Task Links_to_domains_the_channel_does_not_allow_are_held_except_from_vips()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var vip = await fixture.RegisterAsync();
        var viewer = await fixture.RegisterAsync();
        await room.Grain.AddVipAsync(room.Id, vip.Id);
        await room.SendAsync(viewer, "before: https://free-nitro.example.com");
        await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, null, null, null, null, HoldLinks: true));

        await RefusedAsync(() => room.Grain.SetAllowedLinkDomainsAsync(viewer.Id, ["youtube.com"]), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.GetAllowedLinkDomainsAsync(viewer.Id), ErrorCodes.Forbidden);
        await RefusedAsync(() => room.Grain.SetAllowedLinkDomainsAsync(moderator.Id, ["youtube.com", "not a domain"]), ErrorCodes.BadUserInput, "domains");
        await RefusedAsync(() => room.Grain.SetAllowedLinkDomainsAsync(moderator.Id, [.. Enumerable.Range(0, 101).Select(i => $"d{i}.com")]), ErrorCodes.BadUserInput, "domains");
        Assert.Equal(["clips.example", "youtube.com"], await room.Grain.SetAllowedLinkDomainsAsync(moderator.Id, ["https://www.YouTube.com/", "clips.example", "youtube.com"]));

        await room.SendAsync(viewer, "watch https://m.youtube.com/watch?v=x and clips.example/abc");
        await room.SendAsync(viewer, $"our site: https://{ChatClusterFixture.PlatformLinkDomain}/alice");
        await room.SendAsync(viewer, "no link here, e.g. ok.so");
        var held = await HoldAsync(room, viewer, "free stuff at scam.com now");
        Assert.Equal(AutoModCategory.Links, Assert.Single((await room.Grain.GetHeldMessagesAsync(moderator.Id, 10, null)).Edges).Node.Category);
        await room.SendAsync(vip, "a VIP may share scam.com");
        await room.SendAsync(moderator, "so may moderators: scam.com");

        // VIPs are spared the link rule only.
        await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, null, null, null, null, AutoModLevel: AutoModLevel.High));
        await HoldAsync(room, vip, "what an idiot");

        await fixture.DeactivateAsync(room.Grain);
        Assert.Equal(["clips.example", "youtube.com"], await room.Grain.GetAllowedLinkDomainsAsync(room.Id));
        Assert.Equal(2, (await room.Grain.GetHeldMessagesAsync(moderator.Id, 10, null)).Edges.Count);
        Assert.Equal(held, (await room.Grain.GetHeldMessagesAsync(moderator.Id, 10, null)).Edges[0].Node.Message.Id);
        Assert.Equal(6, (await room.HistoryTextsAsync()).Count);
    }

    [Fact]
    public async Task Held_messages_expire_and_a_full_queue_refuses_instead_of_holding()
    {
        var room = await fixture.NewRoomAsync();
        var viewers = await Task.WhenAll(Enumerable.Range(0, ChatClusterFixture.MaxHeldMessages + 1).Select(_ => fixture.RegisterAsync()));
        await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, null, null, null, null, AutoModLevel: AutoModLevel.Medium));
        await using var queue = await HeldEventsAsync(room.Id);

        var ids = new List<Guid>();
        foreach (var viewer in viewers.Take(ChatClusterFixture.MaxHeldMessages))
        {
            ids.Add(await HoldAsync(room, viewer, "send nudes"));
        }

        var full = await RefusedAsync(() => room.SendAsync(viewers[^1], "send nudes"), ErrorCodes.Forbidden, "automod");
        Assert.Contains("too many", full.Message, StringComparison.Ordinal);
        await room.SendAsync(viewers[^1], "a clean message still goes through");

        // Nobody decided in time: each leaves the queue as expired, and the rows go with them.
        var events = await queue.WaitForAsync(ChatClusterFixture.MaxHeldMessages * 2);
        Assert.Equal(ids.Order(), events.Where(e => e.Kind == HeldMessageEventKind.Expired).Select(e => e.MessageId).Order());
        Assert.Empty((await room.Grain.GetHeldMessagesAsync(room.Id, 10, null)).Edges);
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM chat_held_messages WHERE channel_id = @id", room.Id));
        await RefusedAsync(() => room.Grain.ApproveHeldMessageAsync(room.Id, ids[0]), ErrorCodes.Conflict);
        Assert.Equal(["a clean message still goes through"], await room.HistoryTextsAsync());

        // The queue has room again.
        await HoldAsync(room, viewers[^1], "send nudes");
    }

    [Fact]
    public async Task Banning_or_timing_out_a_user_denies_what_they_have_waiting()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var troll = await fixture.RegisterAsync();
        var other = await fixture.RegisterAsync();
        await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, null, null, null, null, AutoModLevel: AutoModLevel.High));
        await using var queue = await HeldEventsAsync(room.Id);
        var trollMessage = await HoldAsync(room, troll, "idiot");
        var otherMessage = await HoldAsync(room, other, "stupid");

        await room.Grain.TimeoutAsync(moderator.Id, troll.Id, 60, "insults");
        var denied = (await queue.WaitForAsync(3))[2];
        Assert.Equal((HeldMessageEventKind.Denied, trollMessage, (Guid?)moderator.Id), (denied.Kind, denied.MessageId, denied.ByUserId));
        Assert.Equal(otherMessage, Assert.Single((await room.Grain.GetHeldMessagesAsync(moderator.Id, 10, null)).Edges).Node.Message.Id);
        await RefusedAsync(() => room.Grain.ApproveHeldMessageAsync(moderator.Id, trollMessage), ErrorCodes.Conflict);
        Assert.Equal(1, await fixture.CountAsync("SELECT count(*) FROM chat_held_messages WHERE channel_id = @id", room.Id));
    }

    private static async Task<Guid> HoldAsync(TestRoom room, TestUser sender, string text)
    {
        var id = Guid.NewGuid();
        await RefusedAsync(() => room.Grain.SendAsync(sender.Id, text, id), ErrorCodes.Held, "automod");
        return id;
    }

    private async Task<HeldEventLog> HeldEventsAsync(Guid channelId)
    {
        var stream = fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<HeldMessageEvent>(StreamId.Create(StreamNames.ChatHeld, channelId));
        var log = new HeldEventLog();
        log.Handle = await stream.SubscribeAsync((e, _) =>
        {
            log.Add(e);
            return Task.CompletedTask;
        });
        return log;
    }

    private sealed class HeldEventLog : IAsyncDisposable
    {
        private readonly List<HeldMessageEvent> events = [];

        public StreamSubscriptionHandle<HeldMessageEvent>? Handle { get; set; }

        public void Add(HeldMessageEvent e)
        {
            lock (events)
            {
                events.Add(e);
            }
        }

        public async Task<IReadOnlyList<HeldMessageEvent>> WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (true)
            {
                lock (events)
                {
                    if (events.Count >= count)
                    {
                        return [.. events];
                    }
                }

                Assert.True(DateTime.UtcNow < deadline, $"Fewer than {count} held-message events arrived.");
                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Handle is not null)
            {
                await Handle.UnsubscribeAsync();
            }
        }
    }
}
