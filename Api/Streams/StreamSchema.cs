using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.Api.Realtime;
using WgStream.Api.Streams.LiveKit;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.Gateways.LiveKit;

namespace WgStream.Api.Streams;

/// <summary>Live streaming: the owner's stream settings and key, broadcasts, live status and watching.</summary>
public sealed class StreamSchema(
    IClusterClient cluster,
    IOptions<StreamOptions> options,
    IOptions<LiveKitOptions> liveKit,
    LiveKitTokens tokens,
    ViewerPresence presence,
    NodeFeeds feeds,
    KnownChannels channels,
    IServiceProvider services,
    TimeProvider clock) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<StreamSettingsType>>("streamSettings")
            .Description("The signed-in owner's ingest address, stream key, title and category. Someone else's channel: FORBIDDEN.")
            .Argument<IdGraphType>("channelId", arg => arg.Description = "Defaults to your own channel.")
            .ResolveAsync(async ctx => View(OwnChannel(ctx), await Broadcaster(OwnChannel(ctx)).GetSettingsAsync()));

        query.Field<StreamType>("stream")
            .Description("A broadcast, live or past, by id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await cluster.GetGrain<IStreamGrain>(Ids.Parse(ctx.GetArgument<string>("id"), "id")).GetAsync());

        query.Field<NonNullGraphType<WebRtc.WebRtcPlaybackType>>("webRtcPlayback")
            .Description("Sub-second playback of a live channel through Janus. UNAVAILABLE (not set up, still starting) or BUSY (the channel's WebRTC viewers are at the limit): play HLS instead.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx => await services.GetRequiredService<WebRtc.WebRtcAccess>()
                .IssueAsync(Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"), ctx.CancellationToken));

        query.Field<NonNullGraphType<ViewerTokenType>>("streamViewerToken")
            .Description("LiveKit only: a subscribe-only token for the channel's room.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx =>
            {
                RequireLiveKit();
                var channelId = Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");
                _ = await cluster.GetGrain<IChannelGrain>(channelId).GetAsync() ?? throw WgException.NotFound("No such channel.");
                var identity = ctx.WgUser().Principal is { } p ? $"user-{p.UserId:N}" : $"viewer-{Guid.NewGuid():N}";
                var room = LiveKitNames.RoomName(channelId);
                var lifetime = liveKit.Value.ViewerTokenLifetime;
                var token = tokens.Create(identity, new Dictionary<string, object>
                {
                    ["room"] = room,
                    ["roomJoin"] = true,
                    ["canPublish"] = false,
                    ["canPublishData"] = false,
                    ["canSubscribe"] = true,
                }, lifetime);
                return new ViewerToken(liveKit.Value.ClientUrl, token, identity, room, LiveKitNames.BroadcasterIdentity(channelId), clock.GetUtcNow() + lifetime);
            });
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<StreamSettingsType>>("rotateStreamKey")
            .Description("A new stream key; the old one stops working at once and an encoder live on it is disconnected.")
            .ResolveAsync(async ctx => View(OwnChannel(ctx), await Broadcaster(OwnChannel(ctx)).RotateKeyAsync()));

        mutation.Field<NonNullGraphType<StreamSettingsType>>("updateStream")
            .Description("Title and category of your broadcasts (a live one changes at once), and your channel's tags, language and mature flag.")
            .Argument<NonNullGraphType<UpdateStreamInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<UpdateStreamInput>("input");
                var classification = new ClassificationUpdate(input.Tags, input.Language, input.Mature);
                return View(OwnChannel(ctx), await Broadcaster(OwnChannel(ctx)).UpdateAsync(new StreamUpdate(input.Title, input.Category, input.RecordBroadcasts, classification)));
            });

        mutation.Field<NonNullGraphType<IngressType>>("createIngress")
            .Description("LiveKit only: an RTMP or WHIP ingest address and key for your channel's room.")
            .Argument<NonNullGraphType<IngressInputTypeType>>("type")
            .ResolveAsync(async ctx =>
            {
                var channelId = OwnChannel(ctx);
                RequireLiveKit();
                var profile = await cluster.GetGrain<IChannelGrain>(channelId).GetAsync() ?? throw WgException.NotFound("No such channel.");
                return await services.GetRequiredService<LiveKitIngressClient>()
                    .CreateAsync(ctx.GetArgument<IngressInputType>("type"), channelId, profile.Username, profile.DisplayName, ctx.CancellationToken);
            });
    }

    public void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<StreamStatusType>>("streamStatusChanged")
            .Description("The channel goes live, changes title, category or viewer count, or goes offline.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveStreamAsync(async ctx => await StatusAsync(Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId")));

        subscription.Field<NonNullGraphType<StreamStatusType>>("watchStream")
            .Description("Like streamStatusChanged, and counts you as a viewer of the channel for as long as you stay subscribed (a signed-in session counts once, however many sockets or subscriptions it has).")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .DependsOnViewer()
            .ResolveStreamAsync(async ctx =>
            {
                var channelId = Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");
                var events = await StatusAsync(channelId);
                var user = ctx.WgUser();
                var viewer = ViewerKeys.For(user.Principal, user.ConnectionId ?? Guid.NewGuid().ToString("N"));
                await presence.JoinAsync(channelId, viewer);
                return (IObservable<object?>)new WatchingObservable<object?>(events, () => presence.LeaveAsync(channelId, viewer));
            });
    }

    /// <summary>The channel's status feed through the node's fan-out; an unknown channel is NOT_FOUND before anything is subscribed.</summary>
    private async Task<IObservable<object?>> StatusAsync(Guid channelId)
    {
        await channels.EnsureExistsAsync(channelId);
        return await FeedObservable<StreamStatusChanged>.AttachAsync(feeds, StreamNames.StreamStatus, channelId);
    }

    private IBroadcasterGrain Broadcaster(Guid channelId) => cluster.GetGrain<IBroadcasterGrain>(channelId);

    /// <summary>The channel the caller may manage: their own (a user owns exactly the channel with their id).</summary>
    private static Guid OwnChannel(IResolveFieldContext ctx)
    {
        var me = ctx.WgUser().RequirePrincipal().UserId;
        var asked = ctx.GetArgument<string?>("channelId");
        if (asked is not null && Ids.Parse(asked, "channelId") != me)
        {
            throw WgException.Forbidden("Only the channel's owner can see or change its stream settings.");
        }

        return me;
    }

    private void RequireLiveKit()
    {
        if (!options.Value.UsesLiveKit || !liveKit.Value.IsConfigured)
        {
            throw WgException.BadInput("This server does not stream through LiveKit.");
        }
    }

    private StreamSettingsView View(Guid channelId, StreamSettings settings) => options.Value.UsesLiveKit
        ? new StreamSettingsView(channelId, "LIVEKIT", null, null, settings.Title, settings.CategorySlug, settings.KeyRotatedAt, settings.RecordBroadcasts, Classification(settings))
        : new StreamSettingsView(channelId, "NGINX", options.Value.IngestUrl, settings.StreamKey, settings.Title, settings.CategorySlug, settings.KeyRotatedAt, settings.RecordBroadcasts, Classification(settings));

    private static ChannelClassification Classification(StreamSettings settings) => settings.Classification ?? ChannelClassification.None;
}

/// <summary>Passes a subscription's events through and runs <paramref name="onEnd"/> once when the subscriber goes away.</summary>
public sealed class WatchingObservable<T>(IObservable<T> inner, Func<Task> onEnd) : IObservable<T>
{
    public IDisposable Subscribe(IObserver<T> observer) => new Subscription(inner.Subscribe(observer), onEnd);

    private sealed class Subscription(IDisposable inner, Func<Task> onEnd) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                inner.Dispose();
                // Dispose cannot await; ViewerPresence logs a report that fails, and its next renewal repairs the count.
                _ = onEnd();
            }
        }
    }
}
