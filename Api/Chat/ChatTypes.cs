using GraphQL;
using GraphQL.Types;
using WgStream.Api.Channels;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

public sealed class ChatMessageType : ObjectGraphType<ChatMessage>
{
    public ChatMessageType()
    {
        Name = "ChatMessage";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("seq").Description("Room order; as a string because it is 64-bit.").Resolve(ctx => ctx.Source.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field<NonNullGraphType<IdGraphType>>("senderId").Resolve(ctx => ctx.Source.SenderId);
        Field(x => x.Username);
        Field(x => x.Color);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("badges").Resolve(ctx => ctx.Source.Badges);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("sentAt").Resolve(ctx => ctx.Source.SentAt);
        Field(x => x.Text);
        // A message is mostly one to three fragments (text, an emote, text): scored as three, not as a
        // page, so a page of chat with emote images fits GraphQL:MaxComplexity; what an answer really
        // holds is bounded at run time by GraphQL:MaxResultNodes.
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChatFragmentType>>>>("fragments")
            .Resolve(ctx => ctx.Source.Fragments)
            .WithComplexityImpact(1, 3);
        Field<ChatReplyType>("reply").Description("The message this one answers, quoted as it was.").Resolve(ctx => ctx.Source.Reply);
    }
}

public sealed class ChatReplyType : ObjectGraphType<ChatReply>
{
    public ChatReplyType()
    {
        Name = "ChatReply";
        Field<NonNullGraphType<IdGraphType>>("messageId").Resolve(ctx => ctx.Source.MessageId);
        Field<NonNullGraphType<IdGraphType>>("senderId").Resolve(ctx => ctx.Source.SenderId);
        Field(x => x.Username);
        Field(x => x.Text).Description("The start of the message (100 characters).");
    }
}

/// <summary>A moderator's pinned message and until when it shows.</summary>
public sealed class ChatPinType : ObjectGraphType<ChatPin>
{
    public ChatPinType()
    {
        Name = "ChatPin";
        Field<NonNullGraphType<ChatMessageType>>("message").Resolve(ctx => ctx.Source.Message);
        Field<NonNullGraphType<IdGraphType>>("pinnedBy").Resolve(ctx => ctx.Source.PinnedBy);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("pinnedAt").Resolve(ctx => ctx.Source.PinnedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("until").Resolve(ctx => ctx.Source.Until);
    }
}

public sealed class ChatFragmentKindType : EnumerationGraphType<ChatFragmentKind>
{
    public ChatFragmentKindType() => Name = "ChatFragmentKind";
}

public sealed class ChatFragmentType : ObjectGraphType<ChatFragment>
{
    public ChatFragmentType()
    {
        Name = "ChatFragment";
        Field<NonNullGraphType<ChatFragmentKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field(x => x.Text);
        Field(x => x.ImageUrl, nullable: true);
        Field<IdGraphType>("userId").Description("For a mention: the account mentioned.").Resolve(ctx => ctx.Source.UserId);
        Field<ChatFragmentEmoteType>("emote").Description("For a channel's emote: which one, with its image in every size (null for global emotes).").Resolve(ctx => ctx.Source.Emote);
    }
}

public sealed class ChatSettingsType : ObjectGraphType<ChatSettings>
{
    public ChatSettingsType()
    {
        Name = "ChatSettings";
        Field(x => x.Enabled);
        Field(x => x.SlowModeSeconds);
        Field(x => x.FollowersOnly);
        Field(x => x.FollowersOnlyMinutes);
        Field(x => x.EmoteOnly);
        Field(x => x.SponsorsOnly);
        Field<NonNullGraphType<AutoModLevelType>>("autoModLevel")
            .Description("What AutoMod holds for a moderator's review: OFF, LOW (the worst only), MEDIUM, HIGH (mild insults too).")
            .Resolve(ctx => ctx.Source.AutoModLevel);
        Field(x => x.HoldLinks).Description("Whether links to domains the channel does not allow are held for review (VIPs' are not).");
    }
}

public sealed class ChatBanType : ObjectGraphType<ChatBan>
{
    public ChatBanType(IClusterClient cluster)
    {
        Name = "ChatBan";
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(ctx => ctx.Source.UserId);
        Field<ChannelType>("user")
            .Description("The banned or timed-out user's channel (same id as the user).")
            .ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.UserId).GetAsync());
        Field<DateTimeOffsetGraphType>("until").Description("Null for a ban; the end of a timeout.").Resolve(ctx => ctx.Source.Until);
        Field(x => x.Reason, nullable: true);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
    }
}

public sealed class ChatEventKindType : EnumerationGraphType<ChatEventKind>
{
    public ChatEventKindType() => Name = "ChatEventKind";
}

public sealed class ChatEventType : ObjectGraphType<ChatEvent>
{
    public ChatEventType()
    {
        Name = "ChatEvent";
        Description = "One change in a chat room; clients hide a banned user's messages on USER_BANNED.";
        Field<NonNullGraphType<ChatEventKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field<NonNullGraphType<StringGraphType>>("seq").Resolve(ctx => ctx.Source.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field<ChatMessageType>("message").Resolve(ctx => ctx.Source.Message);
        Field<IdGraphType>("messageId").Resolve(ctx => ctx.Source.MessageId);
        Field<IdGraphType>("userId").Resolve(ctx => ctx.Source.UserId);
        Field<DateTimeOffsetGraphType>("until").Resolve(ctx => ctx.Source.Until);
        Field(x => x.Reason, nullable: true);
        Field<ChatSettingsType>("settings").Resolve(ctx => ctx.Source.Settings);
        Field<ChatPinType>("pin").Description("On MESSAGE_PINNED.").Resolve(ctx => ctx.Source.Pin);
        Field<Streams.RaidType>("raid").Description("On RAID: the channel raiding this one, with how many viewers.").Resolve(ctx => ctx.Source.Raid);
    }
}

/// <summary>
/// A page of history as one viewer sees it: without the messages of users they blocked. The cursor
/// is the page's oldest message whether or not it is shown, so a page the viewer sees nothing of
/// still leads to the one before it.
/// </summary>
public sealed record VisibleChatHistory(IReadOnlyList<ChatMessage> Messages, bool HasMore, long? StartSeq)
{
    public static VisibleChatHistory Of(ChatHistory history, IReadOnlySet<Guid>? blocked) => new(
        blocked is not { Count: > 0 } ? history.Messages : [.. history.Messages.Where(m => !blocked.Contains(m.SenderId))],
        history.HasMore,
        history.Messages.Count > 0 ? history.Messages[0].Seq : null);
}

/// <summary>Backward pagination through history: pass <c>startCursor</c> as <c>before</c> to scroll back.</summary>
public sealed class ChatHistoryType : ObjectGraphType<VisibleChatHistory>
{
    public ChatHistoryType()
    {
        Name = "ChatHistory";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChatMessageType>>>>("messages")
            .Description("Oldest first, without the messages of users you blocked.")
            .Resolve(ctx => ctx.Source.Messages);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage").Resolve(ctx => ctx.Source.HasMore);
        Field<StringGraphType>("startCursor").Resolve(ctx => ctx.Source.StartSeq is { } seq ? ChatCursor.Encode(seq) : null);
    }
}

public sealed class ChatRoomType : ObjectGraphType<ChatRoomView>
{
    public ChatRoomType(IClusterClient cluster)
    {
        Name = "ChatRoom";
        Field<NonNullGraphType<ChatSettingsType>>("settings").Resolve(ctx => ctx.Source.Info.Settings);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("moderatorIds").Resolve(ctx => ctx.Source.Info.Moderators);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChannelType>>>>("moderators")
            .Description("The moderators' channels (same ids as the users), by username.")
            .ResolveAsync(async ctx =>
            {
                var channels = await Task.WhenAll(ctx.Source.Info.Moderators.Select(id => cluster.GetGrain<IChannelGrain>(id).GetAsync()));
                return channels.OfType<ChannelProfile>().OrderBy(c => c.Username, StringComparer.OrdinalIgnoreCase).ToList();
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChannelType>>>>("vips")
            .Description("The VIPs' channels, by username: exempt from slow mode and followers-only.")
            .ResolveAsync(async ctx =>
            {
                var channels = await Task.WhenAll(ctx.Source.Info.Vips.Select(id => cluster.GetGrain<IChannelGrain>(id).GetAsync()));
                return channels.OfType<ChannelProfile>().OrderBy(c => c.Username, StringComparer.OrdinalIgnoreCase).ToList();
            });
        Field<ListGraphType<NonNullGraphType<ChatBanType>>>("bans")
            .Description("Active bans and timeouts; only the broadcaster and moderators see them.")
            .Resolve(ctx => ctx.Source.Standing is { IsBroadcaster: true } or { IsModerator: true } ? ctx.Source.Info.Bans : null);
        Field<NonNullGraphType<BooleanGraphType>>("canModerate").Resolve(ctx => ctx.Source.Standing is { IsBroadcaster: true } or { IsModerator: true });
        Field<ChatBanType>("myBan").Description("Set when the signed-in user is banned or timed out here.").Resolve(ctx => ctx.Source.Standing?.Ban);
        Field<ChatPinType>("pinned").Description("The message a moderator pinned, while it is pinned.").Resolve(ctx => ctx.Source.Info.Pinned);
    }
}

public sealed record ChatRoomView(ChatRoomInfo Info, ChatStanding? Standing);

public sealed class ChatSettingsInput
{
    public bool? Enabled { get; set; }

    public int? SlowModeSeconds { get; set; }

    public bool? FollowersOnly { get; set; }

    public int? FollowersOnlyMinutes { get; set; }

    public bool? EmoteOnly { get; set; }

    public bool? SponsorsOnly { get; set; }

    public AutoModLevel? AutoModLevel { get; set; }

    public bool? HoldLinks { get; set; }
}

public sealed class ChatSettingsInputType : InputObjectGraphType<ChatSettingsInput>
{
    public ChatSettingsInputType()
    {
        Name = "ChatSettingsInput";
        Field(x => x.Enabled, nullable: true);
        Field(x => x.SlowModeSeconds, nullable: true);
        Field(x => x.FollowersOnly, nullable: true);
        Field(x => x.FollowersOnlyMinutes, nullable: true);
        Field(x => x.EmoteOnly, nullable: true);
        Field(x => x.SponsorsOnly, nullable: true);
        Field<AutoModLevelType>("autoModLevel");
        Field(x => x.HoldLinks, nullable: true);
    }
}

public static class ChatCursor
{
    public static string Encode(long seq) => GrainInterfaces.Common.Cursor.Encode(seq.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static long? Decode(string? cursor) => cursor is null ? null : GrainInterfaces.Common.Cursor.ParseLong(GrainInterfaces.Common.Cursor.Decode(cursor, 1)[0]);
}
