using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Chat;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>What a message becomes (text, fragments, sender identity, badges, order) and how history keeps it.</summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatMessageGrainTests(ChatClusterFixture fixture)
{
    private const string FamilyZwj = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
    private const string RainbowFlagZwj = "\U0001F3F3\uFE0F\u200D\U0001F308";
    private const string WavingHandToned = "\U0001F44B\U0001F3FD";
    private const string UkraineFlag = "\U0001F1FA\U0001F1E6";
    private const string KeycapOne = "1\uFE0F\u20E3";
    private const string RedHeart = "\u2764\uFE0F";

    [Fact]
    public async Task Messages_are_cleaned_and_must_be_1_to_500_characters()
    {
        var room = await fixture.NewRoomAsync();

        var sent = await room.SendAsync(room.Owner, "  a\u0000b\u0007c\r\nd\te\u202Ef\u200B  ");
        // Newlines and tabs become spaces, other control and invisible format characters vanish, the ends are trimmed.
        Assert.Equal("abc  d ef", sent.Text);

        // The limit counts what is left after cleaning.
        var longest = await room.SendAsync(room.Owner, new string('x', 500) + "\u0007\n");
        Assert.Equal(500, longest.Text.Length);

        await RefusedAsync(() => room.SendAsync(room.Owner, new string('x', 501)), ErrorCodes.BadUserInput, "text");
        await RefusedAsync(() => room.SendAsync(room.Owner, string.Empty), ErrorCodes.BadUserInput, "text");
        await RefusedAsync(() => room.SendAsync(room.Owner, " \u0001\r\n\t \u202E "), ErrorCodes.BadUserInput, "text");

        Assert.Equal(["abc  d ef", new string('x', 500)], await room.HistoryTextsAsync());
    }

    [Fact]
    public async Task Messages_are_split_into_text_emoji_and_emote_fragments()
    {
        var room = await fixture.NewRoomAsync();
        var text = $"hi {WavingHandToned} {FamilyZwj} {RainbowFlagZwj} {UkraineFlag} {KeycapOne} :wgHype: :foo: 1 {RedHeart}:wgLove::wgGG:";

        var sent = await room.SendAsync(room.Owner, text);

        Assert.Equal(text, sent.Text);
        Assert.Equal(
            [
                Text("hi "),
                Emoji(WavingHandToned),
                Text(" "),
                Emoji(FamilyZwj),
                Text(" "),
                Emoji(RainbowFlagZwj),
                Text(" "),
                Emoji(UkraineFlag),
                Text(" "),
                Emoji(KeycapOne),
                Text(" "),
                Emote("wgHype"),
                Text(" :foo: 1 "),
                Emoji(RedHeart),
                Emote("wgLove"),
                Emote("wgGG"),
            ],
            Fragments(sent));

        // The same fragments come back from memory and, after a restart, from the table (stored as JSON).
        Assert.Equal(Fragments(sent), Fragments(Assert.Single((await room.Grain.GetHistoryAsync(10, null)).Messages)));
        await fixture.DeactivateAsync(room.Grain);
        Assert.Equal(Fragments(sent), Fragments(Assert.Single((await room.Grain.GetHistoryAsync(10, null)).Messages)));

        var plain = await room.SendAsync(room.Owner, "no emoji: here, 100% text");
        Assert.Equal([Text("no emoji: here, 100% text")], Fragments(plain));
    }

    [Fact]
    public async Task Senders_appear_with_their_username_and_a_stable_default_or_chosen_colour()
    {
        var first = await fixture.NewRoomAsync();
        var second = await fixture.NewRoomAsync();
        var viewer = await fixture.RegisterAsync();

        var a = await first.SendAsync(viewer, "hello");
        var b = await second.SendAsync(viewer, "hello again");
        Assert.Equal(viewer.Id, a.SenderId);
        Assert.Equal(viewer.Username, a.Username);
        Assert.Equal(viewer.Username, b.Username);
        // The default colour is a palette colour derived from the username alone: the same everywhere, every time.
        Assert.Equal(ChatColors.Default(viewer.Username), a.Color);
        Assert.Equal(a.Color, b.Color);
        Assert.Equal(a.Color, ChatColors.Default(viewer.Username.ToUpperInvariant()));
        Assert.Contains(a.Color, ChatColors.Palette.Values);
        Assert.Equal(new ChatIdentity(viewer.Id, viewer.Username, a.Color), await viewer.Profile.GetChatIdentityAsync());

        var styled = await fixture.RegisterAsync();
        Assert.Equal("#FF69B4", await styled.Profile.SetChatColorAsync(" HotPink "));
        Assert.Equal("#FF69B4", (await first.SendAsync(styled, "pink")).Color);
        Assert.Equal("#A1B2C3", await styled.Profile.SetChatColorAsync("#a1b2c3"));
        Assert.Equal("#A1B2C3", (await second.SendAsync(styled, "custom")).Color);
        await RefusedAsync(() => styled.Profile.SetChatColorAsync("pinkish"), ErrorCodes.BadUserInput, "color");
        await RefusedAsync(() => styled.Profile.SetChatColorAsync("#12345"), ErrorCodes.BadUserInput, "color");
        Assert.Equal("#A1B2C3", (await styled.Profile.GetChatIdentityAsync())!.Color);
    }

    [Fact]
    public async Task Badges_show_the_broadcaster_and_moderators_and_sequence_numbers_only_grow()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();

        var messages = new List<ChatMessage>
        {
            await room.SendAsync(room.Owner, "from the broadcaster"),
            await room.SendAsync(moderator, "from a moderator"),
            await room.SendAsync(viewer, "from a viewer"),
        };
        await room.Grain.RemoveModeratorAsync(room.Id, moderator.Id);
        messages.Add(await room.SendAsync(moderator, "no longer a moderator"));

        Assert.Equal([["broadcaster"], ["moderator"], [], []], messages.Select(m => m.Badges.ToList()));
        Assert.All(messages, m => Assert.Equal(room.Id, m.ChannelId));
        Assert.Equal(messages.Select(m => m.Seq).Order(), messages.Select(m => m.Seq));
        Assert.Equal(messages.Count, messages.Select(m => m.Seq).Distinct().Count());
        Assert.Equal(messages.Count, messages.Select(m => m.Id).Distinct().Count());

        var history = (await room.Grain.GetHistoryAsync(10, null)).Messages;
        Assert.Equal(messages.Select(Summary), history.Select(Summary));
    }

    [Fact]
    public async Task Rooms_exist_only_for_channels_and_senders_need_an_account()
    {
        var viewer = await fixture.RegisterAsync();
        var nowhere = fixture.GrainFactory.GetGrain<IChatRoomGrain>(Guid.NewGuid());
        await RefusedAsync(() => nowhere.SendAsync(viewer.Id, "anyone?"), ErrorCodes.NotFound);
        await RefusedAsync(() => nowhere.GetHistoryAsync(10, null), ErrorCodes.NotFound);

        var room = await fixture.NewRoomAsync();
        await RefusedAsync(() => room.Grain.SendAsync(Guid.NewGuid(), "ghost"), ErrorCodes.Unauthenticated);
        Assert.Empty(await room.HistoryTextsAsync());
    }

    [Fact]
    public async Task History_pages_backwards_oldest_first_including_past_the_memory_buffer()
    {
        var room = await fixture.NewRoomAsync();
        var sent = new List<ChatMessage>();
        for (var i = 1; i <= 25; i++)
        {
            sent.Add(await room.SendAsync(room.Owner, $"m{i}"));
        }

        // The newest page from memory (which holds 10 here), longer pages from the table.
        await AssertPageAsync(room, 5, null, 21..26, hasMore: true);
        await AssertPageAsync(room, ChatClusterFixture.HistorySize, null, 16..26, hasMore: true);
        await AssertPageAsync(room, 20, null, 6..26, hasMore: true);
        await AssertPageAsync(room, 25, null, 1..26, hasMore: false);
        await AssertPageAsync(room, 100, null, 1..26, hasMore: false);
        await AssertPageAsync(room, 3, sent[10].Seq, 8..11, hasMore: true);
        await AssertPageAsync(room, 3, sent[2].Seq, 1..3, hasMore: false);
        await AssertPageAsync(room, 3, sent[0].Seq, 1..1, hasMore: false);

        // Scrolling all the way back with the oldest seq of each page as the cursor sees every message once.
        var seen = new List<ChatMessage>();
        long? before = null;
        var pages = 0;
        while (true)
        {
            var page = await room.Grain.GetHistoryAsync(7, before);
            pages++;
            seen.InsertRange(0, page.Messages);
            if (!page.HasMore)
            {
                break;
            }

            before = page.Messages[0].Seq;
        }

        Assert.Equal(4, pages);
        Assert.Equal(sent.Select(Summary), seen.Select(Summary));

        await RefusedAsync(() => room.Grain.GetHistoryAsync(0, null), ErrorCodes.BadUserInput, "last");
        await RefusedAsync(() => room.Grain.GetHistoryAsync(101, null), ErrorCodes.BadUserInput, "last");
    }

    [Fact]
    public async Task A_short_history_is_complete_and_says_so()
    {
        var room = await fixture.NewRoomAsync();
        var empty = await room.Grain.GetHistoryAsync(10, null);
        Assert.Empty(empty.Messages);
        Assert.False(empty.HasMore);
        for (var i = 1; i <= 3; i++)
        {
            await room.SendAsync(room.Owner, $"m{i}");
        }

        await AssertPageAsync(room, 10, null, 1..4, hasMore: false);
        await AssertPageAsync(room, 3, null, 1..4, hasMore: false);
        await AssertPageAsync(room, 2, null, 2..4, hasMore: true);
    }

    [Fact]
    public async Task Deleted_messages_leave_history_and_are_marked_deleted_in_the_table()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        var first = await room.SendAsync(room.Owner, "first");
        var rude = await room.SendAsync(viewer, "rude");
        var last = await room.SendAsync(viewer, "last");

        await RefusedAsync(() => room.Grain.DeleteMessageAsync(viewer.Id, rude.Id), ErrorCodes.Forbidden);
        await room.Grain.DeleteMessageAsync(moderator.Id, rude.Id);

        Assert.Equal(["first", "last"], await room.HistoryTextsAsync());
        var stored = await fixture.StoredMessagesAsync(room.Id);
        Assert.True(stored[rude.Id]);
        Assert.False(stored[first.Id]);
        Assert.False(stored[last.Id]);

        // A message no longer in memory is deleted in the table, and paging skips it.
        for (var i = 0; i < ChatClusterFixture.HistorySize; i++)
        {
            await room.SendAsync(room.Owner, $"filler {i}");
        }

        await room.Grain.DeleteMessageAsync(room.Id, first.Id);
        Assert.True((await fixture.StoredMessagesAsync(room.Id))[first.Id]);
        var everything = await room.HistoryTextsAsync();
        Assert.Equal(ChatClusterFixture.HistorySize + 1, everything.Count);
        Assert.Equal("last", everything[0]);
        Assert.Equal(["last"], (await room.Grain.GetHistoryAsync(5, last.Seq + 1)).Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Messages_and_room_state_survive_deactivation_and_numbering_continues_above_them()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        var sent = new List<ChatMessage>();
        for (var i = 0; i < 4; i++)
        {
            sent.Add(await room.SendAsync(i % 2 == 0 ? room.Owner : moderator, $"before {i}"));
        }

        var settings = await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, 7, null, null, null));
        await room.Grain.BanAsync(moderator.Id, viewer.Id, "for good");
        var info = await room.Grain.GetInfoAsync();

        await fixture.DeactivateAsync(room.Grain);

        var history = await room.Grain.GetHistoryAsync(10, null);
        Assert.Equal(sent.Select(Summary), history.Messages.Select(Summary));
        Assert.False(history.HasMore);
        var after = await room.Grain.GetInfoAsync();
        Assert.Equal(settings, after.Settings);
        Assert.Equal([moderator.Id], after.Moderators);
        Assert.Equal(info.Bans, after.Bans);
        await RefusedAsync(() => room.SendAsync(viewer, "let me back"), ErrorCodes.Forbidden);

        var next = await room.SendAsync(room.Owner, "after");
        // The settings change and the ban took the two numbers after the last message; a reactivated
        // room must not hand them out again (clients de-duplicate by seq).
        Assert.True(next.Seq > sent.Max(m => m.Seq) + 2, $"seq {next.Seq} reuses a number given to a moderation event (last message {sent.Max(m => m.Seq)})");
        Assert.Equal(next.Seq, await fixture.CountAsync("SELECT max(seq) FROM chat_messages WHERE channel_id = @id", room.Id));
        Assert.Equal([.. sent.Select(m => m.Text), "after"], await room.HistoryTextsAsync());
    }

    private static async Task AssertPageAsync(TestRoom room, int last, long? beforeSeq, Range expected, bool hasMore)
    {
        var page = await room.Grain.GetHistoryAsync(last, beforeSeq);
        var (offset, length) = expected.GetOffsetAndLength(int.MaxValue);
        Assert.Equal(Enumerable.Range(offset, length).Select(i => $"m{i}"), page.Messages.Select(m => m.Text));
        Assert.Equal(hasMore, page.HasMore);
    }

    private static List<(ChatFragmentKind Kind, string Text, string? ImageUrl)> Fragments(ChatMessage message) =>
        message.Fragments.Select(f => (f.Kind, f.Text, f.ImageUrl)).ToList();

    private static (ChatFragmentKind Kind, string Text, string? ImageUrl) Text(string text) => (ChatFragmentKind.Text, text, null);

    private static (ChatFragmentKind Kind, string Text, string? ImageUrl) Emoji(string text) => (ChatFragmentKind.Emoji, text, null);

    private static (ChatFragmentKind Kind, string Text, string? ImageUrl) Emote(string name) => (ChatFragmentKind.Emote, $":{name}:", $"/emotes/{name}.svg");

    /// <summary>Everything a message carries; the table keeps time to the microsecond.</summary>
    private static string Summary(ChatMessage m) =>
        $"{m.Id}|{m.Seq}|{m.ChannelId}|{m.SenderId}|{m.Username}|{m.Color}|{string.Join(',', m.Badges)}|{m.SentAt.UtcTicks / 10}|{m.Text}|{m.Fragments.Count}";
}
