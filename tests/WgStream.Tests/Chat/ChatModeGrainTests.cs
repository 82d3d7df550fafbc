using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using static WgStream.Tests.Chat.ChatGrainTestKit;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Chat;

/// <summary>
/// Chat modes and the flood limit. This fixture allows 5 messages per 2 s to viewers and forgets
/// "does not follow" after 0.2 s; the broadcaster and moderators are exempt from every mode.
/// </summary>
[Collection(ChatClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatModeGrainTests(ChatClusterFixture fixture)
{
    /// <summary>Spelt out rather than <see cref="ChatSettings.Default"/>: the silo runs in this process and shares its statics.</summary>
    private static readonly ChatSettings Defaults = new(true, 0, false, 0, false);

    [Fact]
    public async Task Turned_off_chat_refuses_viewers_but_not_the_broadcaster_or_moderators()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();

        await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(false, null, null, null, null));

        await RefusedAsync(() => room.SendAsync(viewer, "hello?"), ErrorCodes.Forbidden);
        await room.SendAsync(room.Owner, "broadcaster");
        await room.SendAsync(moderator, "moderator");

        await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(true, null, null, null, null));
        await room.SendAsync(viewer, "viewer");
        Assert.Equal(["broadcaster", "moderator", "viewer"], await room.HistoryTextsAsync());
    }

    [Fact]
    public async Task The_flood_limit_refuses_until_the_oldest_message_leaves_the_window()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();

        var burst = await Task.WhenAll(Enumerable.Range(0, ChatClusterFixture.MessagesPerWindow).Select(i => room.SendAsync(viewer, $"m{i}")));
        var retryAt = burst.Min(m => m.SentAt) + ChatClusterFixture.RateWindow;

        var refused = await RefusedAsync(() => room.SendAsync(viewer, "one more"), ErrorCodes.RateLimited);
        Assert.True(DateTimeOffset.UtcNow < retryAt, "The machine was too slow to test within the window.");
        Assert.Equal(retryAt, refused.RetryAt);
        // Refused messages do not count: the retry time stays the same.
        Assert.Equal(retryAt, (await RefusedAsync(() => room.SendAsync(viewer, "and more"), ErrorCodes.RateLimited)).RetryAt);

        // Moderators have a limit of their own, far higher.
        for (var i = 0; i <= ChatClusterFixture.MessagesPerWindow; i++)
        {
            await room.SendAsync(moderator, $"mod {i}");
        }

        await WaitUntilAsync(retryAt);
        await room.SendAsync(viewer, "patient");
        Assert.Equal(ChatClusterFixture.MessagesPerWindow + 1, (await room.Grain.GetHistoryAsync(100, null)).Messages.Count(m => m.SenderId == viewer.Id));
    }

    [Fact]
    public async Task Slow_mode_spaces_out_each_viewers_messages_even_beyond_the_flood_window()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        var other = await fixture.RegisterAsync();
        const int slow = 3;
        Assert.True(TimeSpan.FromSeconds(slow) > ChatClusterFixture.RateWindow);
        await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, slow, null, null, null));

        var first = await room.SendAsync(viewer, "first");
        var retryAt = first.SentAt.AddSeconds(slow);
        var refused = await RefusedAsync(() => room.SendAsync(viewer, "second"), ErrorCodes.RateLimited, "slowMode");
        Assert.Equal(retryAt, refused.RetryAt);
        // Per viewer; the broadcaster and moderators are exempt.
        await room.SendAsync(other, "someone else");
        await room.SendAsync(moderator, "mod 1");
        await room.SendAsync(moderator, "mod 2");
        await room.SendAsync(room.Owner, "owner 1");
        await room.SendAsync(room.Owner, "owner 2");

        // Past the flood window, but not yet past slow mode.
        await WaitUntilAsync(first.SentAt + ChatClusterFixture.RateWindow);
        Assert.True(DateTimeOffset.UtcNow < retryAt, "The machine was too slow to test within the slow-mode interval.");
        refused = await RefusedAsync(() => room.SendAsync(viewer, "second"), ErrorCodes.RateLimited, "slowMode");
        Assert.Equal(retryAt, refused.RetryAt);

        await WaitUntilAsync(retryAt);
        var second = await room.SendAsync(viewer, "second");
        refused = await RefusedAsync(() => room.SendAsync(viewer, "third"), ErrorCodes.RateLimited, "slowMode");
        Assert.Equal(second.SentAt.AddSeconds(slow), refused.RetryAt);

        await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, 0, null, null, null));
        await room.SendAsync(viewer, "third");
        Assert.Equal(["first", "second", "third"], (await room.Grain.GetHistoryAsync(100, null)).Messages.Where(m => m.SenderId == viewer.Id).Select(m => m.Text));
    }

    [Fact]
    public async Task Followers_only_chat_admits_followers_and_the_exempt()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        var follower = await fixture.RegisterAsync();
        var channel = fixture.Channel(room.Id);
        Assert.True(await channel.FollowAsync(follower.Id));
        await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, null, true, null, null));

        var refused = await RefusedAsync(() => room.SendAsync(viewer, "let me in"), ErrorCodes.Forbidden, "followersOnly");
        Assert.Null(refused.RetryAt);
        await room.SendAsync(follower, "follower");
        await room.SendAsync(moderator, "moderator");
        await room.SendAsync(room.Owner, "broadcaster");

        // A new follower may chat as soon as the room stops believing the old answer.
        Assert.True(await channel.FollowAsync(viewer.Id));
        await Task.Delay(ChatClusterFixture.NotFollowingCacheTime + TimeSpan.FromMilliseconds(50));
        await room.SendAsync(viewer, "followed");

        var stranger = await fixture.RegisterAsync();
        await RefusedAsync(() => room.SendAsync(stranger, "hi"), ErrorCodes.Forbidden, "followersOnly");
        await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, null, false, null, null));
        await room.SendAsync(stranger, "open again");
        Assert.Equal(["follower", "moderator", "broadcaster", "followed", "open again"], await room.HistoryTextsAsync());
    }

    [Fact]
    public async Task Followers_only_with_minutes_admits_followers_once_they_have_followed_long_enough()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var newcomer = await fixture.RegisterAsync();
        var veteran = await fixture.RegisterAsync();
        var channel = fixture.Channel(room.Id);
        Assert.True(await channel.FollowAsync(newcomer.Id));
        Assert.True(await channel.FollowAsync(veteran.Id));
        await using (var backdate = fixture.Database.DataSource.CreateCommand(
            "UPDATE follows SET created_at = now() - interval '11 minutes' WHERE channel_id = @c AND follower_id = @f"))
        {
            backdate.Parameters.AddWithValue("c", room.Id);
            backdate.Parameters.AddWithValue("f", veteran.Id);
            Assert.Equal(1, await backdate.ExecuteNonQueryAsync());
        }

        var settings = await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, null, true, 10, null));
        Assert.Equal(new ChatSettings(true, 0, true, 10, false), settings);

        var followedAt = await channel.GetFollowedSinceAsync(newcomer.Id);
        Assert.NotNull(followedAt);
        var refused = await RefusedAsync(() => room.SendAsync(newcomer, "too new"), ErrorCodes.Forbidden, "followersOnly");
        Assert.Equal(followedAt.Value.AddMinutes(10), refused.RetryAt);
        await room.SendAsync(veteran, "long-time follower");
        await room.SendAsync(moderator, "exempt");

        await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, null, null, 0, null));
        await room.SendAsync(newcomer, "now fine");
        Assert.Equal(["long-time follower", "exempt", "now fine"], await room.HistoryTextsAsync());
    }

    [Fact]
    public async Task Emote_only_chat_takes_emoji_and_emotes_but_no_text()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, null, null, null, true));

        await RefusedAsync(() => room.SendAsync(viewer, "hello"), ErrorCodes.Forbidden, "emoteOnly");
        await RefusedAsync(() => room.SendAsync(viewer, ":wgHype: nice"), ErrorCodes.Forbidden, "emoteOnly");
        await RefusedAsync(() => room.SendAsync(viewer, ":notAnEmote:"), ErrorCodes.Forbidden, "emoteOnly");
        var accepted = await room.SendAsync(viewer, "\U0001F44D  :wgHype: \U0001F1FA\U0001F1E6:wgGG:");
        Assert.Equal(
            [ChatFragmentKind.Emoji, ChatFragmentKind.Text, ChatFragmentKind.Emote, ChatFragmentKind.Text, ChatFragmentKind.Emoji, ChatFragmentKind.Emote],
            accepted.Fragments.Select(f => f.Kind));
        await room.SendAsync(moderator, "moderators may type");
        await room.SendAsync(room.Owner, "so may the broadcaster");

        await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, null, null, null, false));
        await room.SendAsync(viewer, "hello");
        Assert.Equal(4, (await room.Grain.GetHistoryAsync(10, null)).Messages.Count);
    }

    [Fact]
    public async Task Settings_of_one_room_never_leak_into_another_even_after_it_is_read_back_from_storage()
    {
        var strict = await fixture.NewRoomAsync();
        var changed = await strict.Grain.UpdateSettingsAsync(strict.Id, new ChatSettingsUpdate(false, 7, true, 3, true));
        await fixture.DeactivateAsync(strict.Grain);
        Assert.Equal(changed, (await strict.Grain.GetInfoAsync()).Settings);

        var relaxed = await fixture.NewRoomAsync();
        var viewer = await fixture.RegisterAsync();
        Assert.Equal(Defaults, (await relaxed.Grain.GetInfoAsync()).Settings);
        await relaxed.SendAsync(viewer, "chat is on");
        await relaxed.SendAsync(viewer, "no slow mode, no emote-only, no followers-only");
        await fixture.DeactivateAsync(relaxed.Grain);
        Assert.Equal(Defaults, (await relaxed.Grain.GetInfoAsync()).Settings);
    }

    [Fact]
    public async Task Settings_are_checked_changed_field_by_field_and_only_by_moderators()
    {
        var room = await fixture.NewRoomAsync();
        var moderator = await fixture.NewModeratorAsync(room);
        var viewer = await fixture.RegisterAsync();
        Assert.Equal(Defaults, (await room.Grain.GetInfoAsync()).Settings);

        await RefusedAsync(() => room.Grain.UpdateSettingsAsync(viewer.Id, new ChatSettingsUpdate(false, null, null, null, null)), ErrorCodes.Forbidden);
        await RefusedAsync(() => Update(-1, null), ErrorCodes.BadUserInput, "slowModeSeconds");
        await RefusedAsync(() => Update(3601, null), ErrorCodes.BadUserInput, "slowModeSeconds");
        await RefusedAsync(() => Update(null, -1), ErrorCodes.BadUserInput, "followersOnlyMinutes");
        await RefusedAsync(() => Update(null, 129_601), ErrorCodes.BadUserInput, "followersOnlyMinutes");
        // A refused update changes nothing, not even its valid fields.
        await RefusedAsync(() => room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(false, 10, true, -5, true)), ErrorCodes.BadUserInput, "followersOnlyMinutes");
        Assert.Equal(Defaults, (await room.Grain.GetInfoAsync()).Settings);

        Assert.Equal(new ChatSettings(true, 3600, false, 129_600, false), await Update(3600, 129_600));
        Assert.Equal(new ChatSettings(true, 3600, false, 129_600, true), await room.Grain.UpdateSettingsAsync(room.Id, new ChatSettingsUpdate(null, null, null, null, true)));
        Assert.Equal(new ChatSettings(false, 0, true, 129_600, true), await room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(false, 0, true, null, null)));
        Assert.Equal(new ChatSettings(false, 0, true, 129_600, true), (await room.Grain.GetInfoAsync()).Settings);

        Task<ChatSettings> Update(int? slow, int? minutes) =>
            room.Grain.UpdateSettingsAsync(moderator.Id, new ChatSettingsUpdate(null, slow, null, minutes, null));
    }
}
