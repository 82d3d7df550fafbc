using System.Globalization;
using GraphQL;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Api.Notifications;

/// <summary>In-app notifications, notification settings and linking Telegram, for the signed-in user.</summary>
public sealed class NotificationSchema(IClusterClient cluster, NodeFeeds feeds) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<NotificationConnectionType>>("notifications")
            .Description("The signed-in user's in-app notifications, newest first.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<NotificationItem>.From(await Inbox.ListAsync(
                Me(ctx), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));

        query.Field<NonNullGraphType<IntGraphType>>("unreadNotificationCount")
            .ResolveAsync(async ctx => await Inbox.CountUnreadAsync(Me(ctx)));

        query.Field<NonNullGraphType<NotificationSettingsType>>("notificationSettings")
            .ResolveAsync(async ctx => await Inbox.GetSettingsAsync(Me(ctx)));
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<IntGraphType>>("markNotificationsRead")
            .Description("Marks these notifications read, or all of them when ids is omitted; returns the unread count after.")
            .Argument<ListGraphType<NonNullGraphType<IdGraphType>>>("ids")
            .ResolveAsync(async ctx =>
            {
                var ids = ctx.GetArgument<List<string>?>("ids")?.Select(id =>
                    long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw WgException.BadInput("Not a notification id.", "ids")).ToList();
                return await Inbox.MarkReadAsync(Me(ctx), ids);
            });

        mutation.Field<NonNullGraphType<NotificationSettingsType>>("updateNotificationSettings")
            .Description("Omitted media and kinds stay as they are. Turning security e-mail off is refused (BAD_USER_INPUT, field email.security).")
            .Argument<NonNullGraphType<UpdateNotificationSettingsInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<UpdateNotificationSettingsInput>("input");
                return await Inbox.UpdateSettingsAsync(Me(ctx), new NotificationSettingsUpdate(input.InApp?.ToUpdate(), input.Email?.ToUpdate(), input.Telegram?.ToUpdate()));
            });

        mutation.Field<NonNullGraphType<TelegramConnectLinkType>>("connectTelegram")
            .Description("A one-time t.me link (valid for minutes): opening it and pressing Start links that Telegram chat to this account.")
            .ResolveAsync(async ctx => await Telegram.CreateLinkAsync(Me(ctx)));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("disconnectTelegram")
            .Description("Unlinks the Telegram chat; true if one was linked.")
            .ResolveAsync(async ctx => await Telegram.DisconnectAsync(Me(ctx)));
    }

    public void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<NotificationType>>("notificationAdded")
            .Description("New in-app notifications of the signed-in user as they are written. Go-live notices of large channels are not pushed one by one: refresh unreadNotificationCount.")
            .DependsOnViewer()
            .ResolveStreamAsync(async ctx => await FeedObservable<NotificationItem>.AttachAsync(feeds, NotificationStreams.Namespace, Me(ctx)));
    }

    private INotificationInboxGrain Inbox => cluster.GetGrain<INotificationInboxGrain>(0);

    private ITelegramLinkGrain Telegram => cluster.GetGrain<ITelegramLinkGrain>(0);

    private static Guid Me(IResolveFieldContext ctx) => ctx.WgUser().RequirePrincipal().UserId;
}
