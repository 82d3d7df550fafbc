using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Chat;
using WgStream.Grains.Chat.AutoMod;

namespace WgStream.Tests.Chat;

/// <summary>The chat room's pure decisions, without a cluster: each rule's edges and the refusal (code, field, retry time) it answers with.</summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class ChatRulesTests
{
    private static readonly Guid Channel = Guid.NewGuid();
    private static readonly Guid Moderator = Guid.NewGuid();
    private static readonly Guid Viewer = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly ChatOptions Options = new();
    private static readonly IReadOnlySet<Guid> Moderators = new HashSet<Guid> { Moderator };
    private static readonly AutoModLexicon Lexicon = new();

    private static readonly ChatSender AViewer = new(false, false, false, null, null, SendWindow.Empty, null);
    private static readonly ChatSender AModerator = AViewer with { Exempt = true };

    [Fact]
    public void A_viewer_may_send_in_a_room_with_no_modes() =>
        Assert.Null(Refusal(ChatSettings.Default, AViewer));

    [Fact]
    public void A_ban_refuses_everyone_it_holds_moderators_included_and_says_why()
    {
        var banned = AModerator with { Ban = new ChatBan(Moderator, null, "spam", Channel, Now) };
        var refusal = Refusal(ChatSettings.Default, banned);
        Assert.Equal(ErrorCodes.Forbidden, refusal?.Code);
        Assert.Equal("You are banned from this chat. Reason: spam", refusal?.Message);
        Assert.Null(refusal?.Field);
    }

    [Fact]
    public void A_timeout_refuses_until_its_end_with_the_time_to_retry()
    {
        var until = Now.AddMinutes(10);
        var refusal = Refusal(ChatSettings.Default, AViewer with { Ban = new ChatBan(Viewer, until, null, Moderator, Now) });
        Assert.Equal(ErrorCodes.Forbidden, refusal?.Code);
        Assert.Equal("timeout", refusal?.Field);
        Assert.Equal(until, refusal?.RetryAt);
        Assert.DoesNotContain("Reason", refusal?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ban_is_in_effect_until_its_end_and_a_ban_without_one_for_good()
    {
        var bans = new Dictionary<Guid, ChatBan>
        {
            [Viewer] = new(Viewer, Now, null, Moderator, Now.AddHours(-1)),
            [Moderator] = new(Moderator, null, null, Channel, Now.AddYears(-1)),
        };

        Assert.Null(ChatRules.ActiveBan(bans, Viewer, Now)); // ends at this instant: over
        Assert.NotNull(ChatRules.ActiveBan(bans, Viewer, Now.AddTicks(-1)));
        Assert.NotNull(ChatRules.ActiveBan(bans, Moderator, Now.AddYears(10)));
        Assert.Null(ChatRules.ActiveBan(bans, Channel, Now));
        Assert.Equal([Viewer], ChatRules.RunOut(bans, Now));
        Assert.Empty(ChatRules.RunOut(bans, Now.AddTicks(-1)));
    }

    [Fact]
    public void Chat_turned_off_refuses_viewers_but_not_the_broadcaster_and_moderators()
    {
        var off = ChatSettings.Default with { Enabled = false };
        Assert.Equal(ErrorCodes.Forbidden, Refusal(off, AViewer)?.Code);
        Assert.Null(Refusal(off, AModerator));
    }

    [Fact]
    public void The_flood_limit_is_higher_for_moderators_and_says_when_the_oldest_message_leaves_the_window()
    {
        var oldest = Now.AddSeconds(-10);
        var full = new SendWindow(Options.MessagesPerWindow, oldest);
        var refusal = Refusal(ChatSettings.Default, AViewer with { Recent = full });
        Assert.Equal(ErrorCodes.RateLimited, refusal?.Code);
        Assert.Equal(oldest + Options.RateWindow, refusal?.RetryAt);
        Assert.Null(Refusal(ChatSettings.Default, AViewer with { Recent = full with { Count = Options.MessagesPerWindow - 1 } }));
        Assert.Null(Refusal(ChatSettings.Default, AModerator with { Recent = full }));
        Assert.Equal(ErrorCodes.RateLimited, Refusal(ChatSettings.Default, AModerator with { Recent = full with { Count = Options.ModeratorMessagesPerWindow } })?.Code);
    }

    [Fact]
    public void The_platforms_terms_hold_for_everyone_and_the_channels_for_viewers_only()
    {
        var platform = new BlockedTerms(["forbidden"]);
        var channel = new BlockedTerms(["spoiler*"]);
        var site = ChatRules.BlockedTerm(BlockedTerms.Prepare("a forbidden word"), exempt: true, platform, channel);
        Assert.Equal(ErrorCodes.Forbidden, site?.Code);
        Assert.Equal("blockedTerm", site?.Field);
        Assert.Contains("this site", site?.Message, StringComparison.Ordinal);
        Assert.Contains("this channel", ChatRules.BlockedTerm(BlockedTerms.Prepare("spoilers ahead"), exempt: false, platform, channel)?.Message, StringComparison.Ordinal);
        Assert.Null(ChatRules.BlockedTerm(BlockedTerms.Prepare("spoilers ahead"), exempt: true, platform, channel));
        Assert.Null(ChatRules.BlockedTerm(BlockedTerms.Prepare("all fine"), exempt: false, platform, channel));
    }

    [Fact]
    public void Slow_mode_allows_one_message_per_interval_and_spares_vips_and_moderators()
    {
        var slow = ChatSettings.Default with { SlowModeSeconds = 30 };
        var refusal = Refusal(slow, AViewer with { LastSent = Now.AddSeconds(-29) });
        Assert.Equal(ErrorCodes.RateLimited, refusal?.Code);
        Assert.Equal("slowMode", refusal?.Field);
        Assert.Equal(Now.AddSeconds(1), refusal?.RetryAt);
        Assert.Null(Refusal(slow, AViewer with { LastSent = Now.AddSeconds(-30) })); // exactly one interval later
        Assert.Null(Refusal(slow, AViewer)); // a first message
        Assert.Null(Refusal(slow, AViewer with { Vip = true, LastSent = Now }));
        Assert.Null(Refusal(slow, AModerator with { LastSent = Now }));
        Assert.Null(Refusal(ChatSettings.Default, AViewer with { LastSent = Now })); // off
    }

    [Fact]
    public void Followers_only_asks_a_follow_of_the_set_age_of_viewers_only()
    {
        var followers = ChatSettings.Default with { FollowersOnly = true, FollowersOnlyMinutes = 10 };
        Assert.False(ChatRules.NeedsFollowDate(ChatSettings.Default, exempt: false, vip: false));
        Assert.True(ChatRules.NeedsFollowDate(followers, exempt: false, vip: false));
        Assert.False(ChatRules.NeedsFollowDate(followers, exempt: true, vip: false));
        Assert.False(ChatRules.NeedsFollowDate(followers, exempt: false, vip: true));

        var stranger = Refusal(followers, AViewer);
        Assert.Equal(ErrorCodes.Forbidden, stranger?.Code);
        Assert.Equal("followersOnly", stranger?.Field);
        Assert.Null(stranger?.RetryAt);

        var newcomer = Refusal(followers, AViewer with { FollowedSince = Now.AddMinutes(-9) });
        Assert.Equal("followersOnly", newcomer?.Field);
        Assert.Equal(Now.AddMinutes(1), newcomer?.RetryAt);
        Assert.Null(Refusal(followers, AViewer with { FollowedSince = Now.AddMinutes(-10) }));
        Assert.Null(Refusal(followers with { FollowersOnlyMinutes = 0 }, AViewer with { FollowedSince = Now }));
        Assert.Null(Refusal(followers, AViewer with { Vip = true }));
        Assert.Null(Refusal(followers, AModerator));
    }

    [Fact]
    public void Sponsors_only_refuses_viewers_who_do_not_sponsor()
    {
        var sponsors = ChatSettings.Default with { SponsorsOnly = true };
        Assert.Equal("sponsorsOnly", Refusal(sponsors, AViewer)?.Field);
        Assert.Equal("sponsorsOnly", Refusal(sponsors, AViewer with { Vip = true })?.Field); // VIPs are not spared
        Assert.Null(Refusal(sponsors, AViewer with { Sponsor = true }));
        Assert.Null(Refusal(sponsors, AModerator));
    }

    [Fact]
    public void Emote_only_takes_emoji_emotes_and_spaces()
    {
        var emoteOnly = ChatSettings.Default with { EmoteOnly = true };
        IReadOnlyList<ChatFragment> emoji = [new(ChatFragmentKind.Emoji, "🙂", null), new(ChatFragmentKind.Text, " ", null)];
        IReadOnlyList<ChatFragment> words = [new(ChatFragmentKind.Emoji, "🙂", null), new(ChatFragmentKind.Text, " hi", null)];
        Assert.Null(Refusal(emoteOnly, AViewer, emoji));
        var refusal = Refusal(emoteOnly, AViewer, words);
        Assert.Equal(ErrorCodes.Forbidden, refusal?.Code);
        Assert.Equal("emoteOnly", refusal?.Field);
        Assert.Null(Refusal(emoteOnly, AModerator, words));
    }

    [Fact]
    public void The_modes_are_told_in_order_slow_mode_first()
    {
        var all = new ChatSettings(true, 30, true, 10, true, SponsorsOnly: true);
        Assert.Equal("slowMode", Refusal(all, AViewer with { LastSent = Now })?.Field);
        Assert.Equal("followersOnly", Refusal(all, AViewer)?.Field);
        Assert.Equal("sponsorsOnly", Refusal(all, AViewer with { FollowedSince = Now.AddDays(-1) })?.Field);
        Assert.Equal("emoteOnly", Refusal(all, AViewer with { FollowedSince = Now.AddDays(-1), Sponsor = true })?.Field);
        Assert.Equal("timeout", Refusal(all with { Enabled = false }, AViewer with { Ban = new ChatBan(Viewer, Now.AddDays(1), null, Moderator, Now) })?.Field);
    }

    [Fact]
    public void Badges_show_one_role_then_verified_and_sponsor()
    {
        Assert.Equal(["broadcaster", "verified", "sponsor"], ChatRules.Badges(Channel, Channel, moderator: false, vip: false, verified: true, sponsor: true));
        Assert.Equal(["moderator"], ChatRules.Badges(Moderator, Channel, moderator: true, vip: true, verified: false, sponsor: false));
        Assert.Equal(["vip", "sponsor"], ChatRules.Badges(Viewer, Channel, moderator: false, vip: true, verified: false, sponsor: true));
        Assert.Empty(ChatRules.Badges(Viewer, Channel, moderator: false, vip: false, verified: false, sponsor: false));
    }

    [Fact]
    public void AutoMod_holds_by_its_level_and_links_to_domains_not_allowed_except_from_vips()
    {
        var text = "you idiot";
        var folded = BlockedTerms.Prepare(text);
        Assert.Null(ChatRules.HoldReason(ChatSettings.Default, Lexicon, text, folded, vip: false, [], []));
        Assert.Equal(AutoModCategory.Insults, ChatRules.HoldReason(ChatSettings.Default with { AutoModLevel = AutoModLevel.High }, Lexicon, text, folded, vip: true, [], []));
        Assert.Null(ChatRules.HoldReason(ChatSettings.Default with { AutoModLevel = AutoModLevel.Low }, Lexicon, text, folded, vip: false, [], []));

        var link = "see https://example.com/x";
        var links = ChatSettings.Default with { HoldLinks = true };
        Assert.Equal(AutoModCategory.Links, ChatRules.HoldReason(links, Lexicon, link, BlockedTerms.Prepare(link), vip: false, [], []));
        Assert.Null(ChatRules.HoldReason(links, Lexicon, link, BlockedTerms.Prepare(link), vip: true, [], []));
        Assert.Null(ChatRules.HoldReason(links, Lexicon, link, BlockedTerms.Prepare(link), vip: false, ["example.com"], []));
        Assert.Null(ChatRules.HoldReason(links, Lexicon, link, BlockedTerms.Prepare(link), vip: false, [], ["example.com"]));
    }

    [Fact]
    public void A_full_hold_queue_refuses_instead_of_holding()
    {
        Assert.Null(ChatRules.HoldQueueFull(Options.MaxHeldMessages - 1, Options.MaxHeldMessages));
        var refusal = ChatRules.HoldQueueFull(Options.MaxHeldMessages, Options.MaxHeldMessages);
        Assert.Equal(ErrorCodes.Forbidden, refusal?.Code);
        Assert.Equal("automod", refusal?.Field);
    }

    [Fact]
    public void A_held_message_is_decided_once_and_only_before_it_expires()
    {
        var message = new ChatMessage(Guid.NewGuid(), 0, Channel, Viewer, "viewer", "#fff", [], Now, "hi", []);
        var entry = new HeldChatMessage(message, AutoModCategory.Insults, Now.AddMinutes(1));
        Assert.Null(ChatRules.HeldDecisionRefusal(entry, null, Now));
        Assert.Equal(ErrorCodes.Conflict, ChatRules.HeldDecisionRefusal(entry, null, Now.AddMinutes(1))?.Code);
        Assert.Equal(ErrorCodes.NotFound, ChatRules.HeldDecisionRefusal(null, null, Now)?.Code);
        var decided = ChatRules.HeldDecisionRefusal(null, HeldMessageEventKind.Denied, Now);
        Assert.Equal(ErrorCodes.Conflict, decided?.Code);
        Assert.Equal("That message was denied already.", decided?.Message);
    }

    [Fact]
    public void A_message_id_belongs_to_its_sender()
    {
        Assert.Null(ChatRules.MessageIdTaken(Viewer, Viewer));
        var taken = ChatRules.MessageIdTaken(Viewer, Moderator);
        Assert.Equal(ErrorCodes.BadUserInput, taken?.Code);
        Assert.Equal("messageId", taken?.Field);
    }

    [Fact]
    public void Only_the_broadcaster_and_moderators_moderate()
    {
        Assert.Null(ChatRules.ModeratorsOnly(Channel, Channel, Moderators));
        Assert.Null(ChatRules.ModeratorsOnly(Moderator, Channel, Moderators));
        Assert.Equal(ErrorCodes.Forbidden, ChatRules.ModeratorsOnly(Viewer, Channel, Moderators)?.Code);
        Assert.Null(ChatRules.BroadcasterOnly(Channel, Channel));
        Assert.Equal(ErrorCodes.Forbidden, ChatRules.BroadcasterOnly(Moderator, Channel)?.Code);
    }

    [Fact]
    public void A_moderator_bans_viewers_only_the_broadcaster_bans_moderators_and_nobody_the_broadcaster()
    {
        var otherModerator = Guid.NewGuid();
        var moderators = new HashSet<Guid> { Moderator, otherModerator };
        Assert.Null(ChatRules.Restriction(Moderator, Viewer, Channel, moderators));
        Assert.Null(ChatRules.Restriction(Channel, Moderator, Channel, moderators));
        Assert.Equal("Only the broadcaster can ban or time out a moderator.", ChatRules.Restriction(Moderator, otherModerator, Channel, moderators)?.Message);
        Assert.Equal("Only the broadcaster can ban or time out a moderator.", ChatRules.Restriction(Moderator, Moderator, Channel, moderators)?.Message);
        Assert.Equal("The broadcaster cannot be banned from their own chat.", ChatRules.Restriction(Moderator, Channel, Channel, moderators)?.Message);
        Assert.Equal("The broadcaster cannot be banned from their own chat.", ChatRules.Restriction(Channel, Channel, Channel, moderators)?.Message);
        Assert.Equal("Only the broadcaster and moderators can do that.", ChatRules.Restriction(Viewer, Viewer, Channel, moderators)?.Message);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(14 * 24 * 3600, true)]
    [InlineData(14 * 24 * 3600 + 1, false)]
    [InlineData(-5, false)]
    public void A_timeout_lasts_one_second_to_the_longest_allowed(int seconds, bool allowed)
    {
        var refusal = ChatRules.TimeoutLength(seconds, Options.MaxTimeoutSeconds);
        Assert.Equal(allowed, refusal is null);
        Assert.Equal(allowed ? null : "seconds", refusal?.Field);
    }

    [Fact]
    public void Moderators_and_vips_are_made_by_the_broadcaster_of_others()
    {
        Assert.Null(ChatRules.NewModerator(Channel, Viewer, Channel));
        Assert.Equal(ErrorCodes.Forbidden, ChatRules.NewModerator(Moderator, Viewer, Channel)?.Code);
        Assert.Equal(ErrorCodes.BadUserInput, ChatRules.NewModerator(Channel, Channel, Channel)?.Code);
        Assert.Null(ChatRules.NewVip(Channel, Viewer, Channel, Moderators));
        Assert.Equal(ErrorCodes.Forbidden, ChatRules.NewVip(Moderator, Viewer, Channel, Moderators)?.Code);
        Assert.Equal("userId", ChatRules.NewVip(Channel, Moderator, Channel, Moderators)?.Field);
        Assert.Equal("userId", ChatRules.NewVip(Channel, Channel, Channel, Moderators)?.Field);
    }

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(3600, 129_600, null)]
    [InlineData(-1, 0, "slowModeSeconds")]
    [InlineData(3601, 0, "slowModeSeconds")]
    [InlineData(0, -1, "followersOnlyMinutes")]
    [InlineData(0, 129_601, "followersOnlyMinutes")]
    public void Settings_keep_slow_mode_and_the_follow_age_in_range(int slow, int followMinutes, string? field)
    {
        var update = new ChatSettingsUpdate(null, slow, null, followMinutes, null);
        Assert.Equal(field, ChatRules.SettingsRefusal(ChatSettings.Default, update, Options)?.Field);
    }

    [Fact]
    public void A_settings_update_changes_what_it_names_and_keeps_the_rest()
    {
        var current = new ChatSettings(false, 30, true, 10, true, SponsorsOnly: true, AutoModLevel.Medium, HoldLinks: true);
        Assert.Equal(current, ChatRules.Apply(current, new ChatSettingsUpdate(null, null, null, null, null)));
        Assert.Equal(current with { Enabled = true, AutoModLevel = AutoModLevel.Off }, ChatRules.Apply(current, new ChatSettingsUpdate(true, null, null, null, null, AutoModLevel: AutoModLevel.Off)));
        Assert.Equal("autoModLevel", ChatRules.SettingsRefusal(current, new ChatSettingsUpdate(null, null, null, null, null, AutoModLevel: (AutoModLevel)42), Options)?.Field);
        Assert.Null(ChatRules.SettingsRefusal(current, new ChatSettingsUpdate(null, null, null, null, null), Options));
    }

    [Fact]
    public void A_pin_lasts_from_the_shortest_to_the_longest_allowed()
    {
        Assert.Null(ChatRules.PinDuration(Options.MinPinDuration, Options));
        Assert.Null(ChatRules.PinDuration(Options.MaxPinDuration, Options));
        Assert.Equal("seconds", ChatRules.PinDuration(Options.MinPinDuration - TimeSpan.FromTicks(1), Options)?.Field);
        Assert.Equal("seconds", ChatRules.PinDuration(Options.MaxPinDuration + TimeSpan.FromTicks(1), Options)?.Field);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    public void A_history_page_holds_one_to_a_hundred_messages(int last, bool allowed) =>
        Assert.Equal(allowed, ChatRules.HistoryPage(last) is null);

    [Fact]
    public void A_channel_has_at_most_its_share_of_blocked_terms_and_link_domains()
    {
        Assert.Null(ChatRules.BlockedTermsFull(Options.MaxBlockedTerms - 1, Options.MaxBlockedTerms));
        Assert.Equal("term", ChatRules.BlockedTermsFull(Options.MaxBlockedTerms, Options.MaxBlockedTerms)?.Field);
        Assert.Null(ChatRules.TooManyLinkDomains(Options.MaxAllowedLinkDomains, Options.MaxAllowedLinkDomains));
        Assert.Equal("domains", ChatRules.TooManyLinkDomains(Options.MaxAllowedLinkDomains + 1, Options.MaxAllowedLinkDomains)?.Field);
    }

    [Fact]
    public void An_excerpt_is_the_first_hundred_characters()
    {
        var exact = new string('a', ChatRules.ExcerptLength);
        Assert.Equal(exact, ChatRules.Excerpt(exact));
        Assert.Equal(exact + "…", ChatRules.Excerpt(exact + "b"));
    }

    [Fact]
    public void Mentions_and_the_replied_author_are_told_once_and_never_the_sender()
    {
        var parentAuthor = Guid.NewGuid();
        var other = Guid.NewGuid();
        IReadOnlyList<ChatFragment> fragments =
        [
            new(ChatFragmentKind.Mention, "@parent", null, parentAuthor),
            new(ChatFragmentKind.Mention, "@other", null, other),
            new(ChatFragmentKind.Mention, "@other", null, other),
            new(ChatFragmentKind.Mention, "@me", null, Viewer),
        ];
        var message = new ChatMessage(Guid.NewGuid(), 1, Channel, Viewer, "viewer", "#fff", [], Now, "text", fragments, new ChatReply(Guid.NewGuid(), parentAuthor, "parent", "quote"));
        Assert.Equal([(other, false), (parentAuthor, true)], ChatRules.MentionRecipients(message));

        var ownReply = message with { Reply = new ChatReply(Guid.NewGuid(), Viewer, "viewer", "quote") };
        Assert.Equal([(parentAuthor, false), (other, false)], ChatRules.MentionRecipients(ownReply));
    }

    private static WgException? Refusal(ChatSettings settings, ChatSender sender, IReadOnlyList<ChatFragment>? fragments = null) =>
        ChatRules.SendRefusal(settings, sender, BlockedTerms.Prepare("hello"), fragments ?? [new(ChatFragmentKind.Text, "hello", null)], BlockedTerms.None, BlockedTerms.None, Options, Now);
}
