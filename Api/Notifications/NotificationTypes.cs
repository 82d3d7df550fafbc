using System.Globalization;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Gateways.Telegram;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Notifications;

public sealed class NotificationKindType : EnumerationGraphType<NotificationKind>
{
    public NotificationKindType() => Name = "NotificationKind";
}

public sealed class SecurityNoticeKindType : EnumerationGraphType<SecurityNoticeKind>
{
    public SecurityNoticeKindType() => Name = "SecurityNoticeKind";
}

public sealed class NotificationType : ObjectGraphType<NotificationItem>
{
    public NotificationType(IOptions<AccountOptions> accounts)
    {
        Name = "Notification";
        var site = accounts.Value.PublicBaseUrl;
        RenderedNotification Render(global::GraphQL.IResolveFieldContext<NotificationItem> ctx) =>
            NotificationText.Render(ctx.Source.Kind, ctx.Source.Content, ctx.WgUser().Language, site);

        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<NotificationKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<NonNullGraphType<BooleanGraphType>>("read").Resolve(ctx => ctx.Source.ReadAt is not null);
        Field<DateTimeOffsetGraphType>("readAt").Resolve(ctx => ctx.Source.ReadAt);
        Field<NonNullGraphType<StringGraphType>>("title").Description("In the caller's language (Accept-Language: uk or en).").Resolve(ctx => Render(ctx).Title);
        Field<NonNullGraphType<StringGraphType>>("text").Description("In the caller's language (Accept-Language: uk or en).").Resolve(ctx => Render(ctx).Body);
        Field<NonNullGraphType<StringGraphType>>("url").Description("Where the notification leads.").Resolve(ctx => Render(ctx).Url);
        Field<IdGraphType>("channelId").Resolve(ctx => ctx.Source.Content.ChannelId);
        Field<StringGraphType>("channelUsername").Resolve(ctx => ctx.Source.Content.ChannelUsername);
        Field<StringGraphType>("channelDisplayName").Resolve(ctx => ctx.Source.Content.ChannelDisplayName);
        Field<IdGraphType>("actorId").Description("The follower or sponsor.").Resolve(ctx => ctx.Source.Content.ActorId);
        Field<StringGraphType>("actorUsername").Resolve(ctx => ctx.Source.Content.ActorUsername);
        Field<IdGraphType>("streamId").Resolve(ctx => ctx.Source.Content.StreamId);
        Field<StringGraphType>("streamTitle").Resolve(ctx => ctx.Source.Content.StreamTitle);
        Field<StringGraphType>("categorySlug").Resolve(ctx => ctx.Source.Content.CategorySlug);
        Field<StringGraphType>("planTitle").Resolve(ctx => ctx.Source.Content.PlanTitle);
        Field<SecurityNoticeKindType>("securityKind").Resolve(ctx => ctx.Source.Content.SecurityKind);
        Field<StringGraphType>("detail").Resolve(ctx => ctx.Source.Content.Detail);
    }
}

public sealed class NotificationEdgeType : EdgeType<NotificationType, NotificationItem>
{
    public NotificationEdgeType()
        : base("NotificationEdge")
    {
    }
}

public sealed class NotificationConnectionType : ConnectionType<NotificationEdgeType, NotificationItem>
{
    public NotificationConnectionType()
        : base("NotificationConnection")
    {
    }
}

public sealed class NotificationMediumSettingsType : ObjectGraphType<MediumSettings>
{
    public NotificationMediumSettingsType()
    {
        Name = "NotificationMediumSettings";
        Description = "Whether each kind of notification is wanted over one medium.";
        Field(x => x.StreamStarted);
        Field(x => x.NewFollower);
        Field(x => x.NewSponsor);
        Field(x => x.ChannelVerified);
        Field(x => x.Security);
        Field(x => x.Mention).Description("Someone mentioned you (@username) in a chat or replied to your message.");
    }
}

public sealed class NotificationSettingsType : ObjectGraphType<NotificationSettings>
{
    public NotificationSettingsType(IOptions<TelegramOptions> telegram)
    {
        Name = "NotificationSettings";
        Field<NonNullGraphType<NotificationMediumSettingsType>>("inApp").Resolve(ctx => ctx.Source.InApp);
        Field<NonNullGraphType<NotificationMediumSettingsType>>("email")
            .Description("Only to a verified address; security e-mail is always on.")
            .Resolve(ctx => ctx.Source.Email);
        Field<NonNullGraphType<NotificationMediumSettingsType>>("telegram")
            .Description("Applies once a Telegram chat is linked (connectTelegram).")
            .Resolve(ctx => ctx.Source.Telegram);
        Field(x => x.TelegramLinked);
        Field<NonNullGraphType<BooleanGraphType>>("telegramAvailable")
            .Description("Whether this server has a Telegram bot; without one connectTelegram is NOT_FOUND.")
            .Resolve(_ => telegram.Value.CanLink);
    }
}

public sealed class NotificationMediumSettingsInput
{
    public bool? StreamStarted { get; set; }

    public bool? NewFollower { get; set; }

    public bool? NewSponsor { get; set; }

    public bool? ChannelVerified { get; set; }

    public bool? Security { get; set; }

    public bool? Mention { get; set; }

    public MediumSettingsUpdate ToUpdate() => new(StreamStarted, NewFollower, NewSponsor, ChannelVerified, Security, Mention);
}

public sealed class NotificationMediumSettingsInputType : InputObjectGraphType<NotificationMediumSettingsInput>
{
    public NotificationMediumSettingsInputType()
    {
        Name = "NotificationMediumSettingsInput";
        Description = "Omitted kinds stay as they are.";
        Field(x => x.StreamStarted, nullable: true);
        Field(x => x.NewFollower, nullable: true);
        Field(x => x.NewSponsor, nullable: true);
        Field(x => x.ChannelVerified, nullable: true);
        Field(x => x.Security, nullable: true);
        Field(x => x.Mention, nullable: true);
    }
}

public sealed class UpdateNotificationSettingsInput
{
    public NotificationMediumSettingsInput? InApp { get; set; }

    public NotificationMediumSettingsInput? Email { get; set; }

    public NotificationMediumSettingsInput? Telegram { get; set; }
}

public sealed class UpdateNotificationSettingsInputType : InputObjectGraphType<UpdateNotificationSettingsInput>
{
    public UpdateNotificationSettingsInputType()
    {
        Name = "UpdateNotificationSettingsInput";
        Field<NotificationMediumSettingsInputType>("inApp");
        Field<NotificationMediumSettingsInputType>("email");
        Field<NotificationMediumSettingsInputType>("telegram");
    }
}

public sealed class TelegramConnectLinkType : ObjectGraphType<TelegramConnectLink>
{
    public TelegramConnectLinkType()
    {
        Name = "TelegramConnectLink";
        Field(x => x.Url).Description("Open in Telegram and press Start: the chat is linked to this account.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("expiresAt").Resolve(ctx => ctx.Source.ExpiresAt);
    }
}
