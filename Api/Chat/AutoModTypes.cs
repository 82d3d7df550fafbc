using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.Chat;

public sealed class AutoModLevelType : EnumerationGraphType<AutoModLevel>
{
    public AutoModLevelType() => Name = "AutoModLevel";
}

public sealed class AutoModCategoryType : EnumerationGraphType<AutoModCategory>
{
    public AutoModCategoryType() => Name = "AutoModCategory";
}

public sealed class HeldMessageEventKindType : EnumerationGraphType<HeldMessageEventKind>
{
    public HeldMessageEventKindType() => Name = "HeldMessageEventKind";
}

public sealed class HeldChatMessageType : ObjectGraphType<HeldChatMessage>
{
    public HeldChatMessageType()
    {
        Name = "HeldChatMessage";
        Description = "A message AutoMod holds for review: what would be posted (seq is 0 until approved), why, and when it expires.";
        Field<NonNullGraphType<ChatMessageType>>("message").Resolve(ctx => ctx.Source.Message);
        Field<NonNullGraphType<AutoModCategoryType>>("category").Resolve(ctx => ctx.Source.Category);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("expiresAt").Resolve(ctx => ctx.Source.ExpiresAt);
    }
}

public sealed class HeldMessageEventType : ObjectGraphType<HeldMessageEvent>
{
    public HeldMessageEventType()
    {
        Name = "HeldMessageEvent";
        Description = "A change in a room's AutoMod queue: HELD (with the message), or APPROVED, DENIED or EXPIRED (it left the queue).";
        Field<NonNullGraphType<HeldMessageEventKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field<NonNullGraphType<IdGraphType>>("messageId").Resolve(ctx => ctx.Source.MessageId);
        Field<HeldChatMessageType>("held").Resolve(ctx => ctx.Source.Held);
        Field<IdGraphType>("byUserId").Description("The moderator who approved or denied it.").Resolve(ctx => ctx.Source.ByUserId);
    }
}

public sealed class HeldChatMessageEdgeType : EdgeType<HeldChatMessageType, HeldChatMessage>
{
    public HeldChatMessageEdgeType()
        : base("HeldChatMessageEdge")
    {
    }
}

public sealed class HeldChatMessageConnectionType : ConnectionType<HeldChatMessageEdgeType, HeldChatMessage>
{
    public HeldChatMessageConnectionType()
        : base("HeldChatMessageConnection")
    {
    }
}
