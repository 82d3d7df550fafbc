using GraphQL;
using GraphQL.Types;
using WgStream.Api.Auth;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Channels;

/// <summary>Channel pages, profile editing, follows, directory, discovery and search.</summary>
public sealed class ChannelSchema(
    IClusterClient cluster,
    RateLimiter rateLimiter,
    Microsoft.Extensions.Options.IOptions<RateLimitOptions> limits) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<ChannelType>("channel")
            .Description("A channel page by its owner's username (served from the channel grain's memory).")
            .Argument<NonNullGraphType<StringGraphType>>("username")
            .ResolveAsync(async ctx => ctx.GetArgument<string>("username").Trim() is { Length: > 0 and <= 25 } name
                && await cluster.GetGrain<IChannelNameGrain>(name.ToLowerInvariant()).GetChannelIdAsync() is { } id
                    ? await Channel(id).GetAsync()
                    : null);

        query.Field<NonNullGraphType<FollowConnectionType>>("followers")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => await FollowsAsync(await Directory.FollowersAsync(
                Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));

        query.Field<NonNullGraphType<FollowConnectionType>>("following")
            .Description("The channels the signed-in user follows, newest first.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => await FollowsAsync(await Directory.FollowingAsync(
                ctx.WgUser().RequirePrincipal().UserId, ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));

        query.Field<NonNullGraphType<ChannelSummaryConnectionType>>("followedChannels")
            .Description("The channels you follow: live ones first, most viewers first, then the others by name (the followed-channels sidebar).")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<ChannelListing>.From(await Directory.FollowedAsync(
                ctx.WgUser().RequirePrincipal().UserId, ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));

        query.Field<NonNullGraphType<ChannelSummaryConnectionType>>("liveChannels")
            .Description("Live channels, most viewers first; optionally one category, some tags (all of them) and a language.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .Argument<StringGraphType>("category")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("tags", arg => arg.Description = TagsFilterDescription)
            .Argument<StringGraphType>("language", arg => arg.Description = LanguageFilterDescription)
            .ResolveAsync(async ctx => Connection<ChannelListing>.From(await Directory.LiveAsync(
                ctx.GetArgument<string?>("category"), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"), Filter(ctx))));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StreamLanguageType>>>>("streamLanguages")
            .Description("The languages a channel can stream in (updateStream(input: {language}), liveChannels(language:)).")
            .Resolve(_ => GrainInterfaces.Channels.StreamLanguages.All);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryType>>>>("categories")
            .Description("Every category in display order, with what is live in it.")
            .ResolveAsync(async ctx => await Directory.CategoriesAsync());

        query.Field<CategoryType>("category")
            .Description("One category by slug, with what is live in it; null when there is no such category.")
            .Argument<NonNullGraphType<StringGraphType>>("slug")
            .ResolveAsync(async ctx => await Directory.CategoryAsync(ctx.GetArgument<string>("slug")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryType>>>>("randomCategories")
            .Description("Up to first (1–50) distinct categories in random order.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 10)
            .ResolveAsync(async ctx => await Directory.RandomCategoriesAsync(ctx.GetArgument<int>("first")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChannelSummaryType>>>>("randomLiveStreams")
            .Description("Up to first (1–50) distinct live channels, drawn uniformly at random, in random order.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 10)
            .ResolveAsync(async ctx => await Directory.RandomLiveAsync(ctx.GetArgument<int>("first")));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChannelSummaryType>>>>("recommendedChannels")
            .Description(
                "Up to first (1–50) channels to suggest: live ones first, by viewers, tripled for categories the channels you follow stream in; "
                + "then the most followed offline ones. Never your own channel or one you follow. Ties go by channel id.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .ResolveAsync(async ctx => await Directory.RecommendedAsync(ctx.WgUser().Principal?.UserId, ctx.GetArgument<int>("first")));

        query.Field<NonNullGraphType<ChannelSummaryConnectionType>>("searchChannels")
            .Description(
                "Case-insensitive, 1–50 characters: username prefix matches first, then similar names, then live channels whose stream title "
                + "matches (3 characters or more) or that carry the text as a tag. tags and language narrow the results.")
            .Argument<NonNullGraphType<StringGraphType>>("query")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("tags", arg => arg.Description = TagsFilterDescription)
            .Argument<StringGraphType>("language", arg => arg.Description = LanguageFilterDescription)
            .ResolveAsync(async ctx => Connection<ChannelListing>.From(await Directory.SearchAsync(
                ctx.GetArgument<string>("query"), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"), Filter(ctx))));
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ChannelType>>("updateChannel")
            .Argument<NonNullGraphType<UpdateChannelInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<UpdateChannelInput>("input");
                return await MyChannel(ctx).UpdateAsync(new ChannelUpdate(input.DisplayName, input.Bio));
            });

        mutation.Field<NonNullGraphType<ChannelType>>("addSocialLink")
            .Argument<NonNullGraphType<StringGraphType>>("title")
            .Argument<NonNullGraphType<StringGraphType>>("url")
            .ResolveAsync(async ctx => await MyChannel(ctx).AddSocialLinkAsync(ctx.GetArgument<string>("title"), ctx.GetArgument<string>("url")));

        mutation.Field<NonNullGraphType<ChannelType>>("updateSocialLink")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<StringGraphType>>("title")
            .Argument<NonNullGraphType<StringGraphType>>("url")
            .ResolveAsync(async ctx => await MyChannel(ctx).UpdateSocialLinkAsync(
                Ids.Parse(ctx.GetArgument<string>("id"), "id"), ctx.GetArgument<string>("title"), ctx.GetArgument<string>("url")));

        mutation.Field<NonNullGraphType<ChannelType>>("removeSocialLink")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await MyChannel(ctx).RemoveSocialLinkAsync(Ids.Parse(ctx.GetArgument<string>("id"), "id")));

        mutation.Field<NonNullGraphType<ChannelType>>("reorderSocialLinks")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids")
            .ResolveAsync(async ctx => await MyChannel(ctx).ReorderSocialLinksAsync(
                ctx.GetArgument<List<string>>("ids").Select(id => Ids.Parse(id, "ids")).ToList()));

        mutation.Field<NonNullGraphType<ChannelType>>("removeThumbnail")
            .Description("Removes your channel's uploaded thumbnail (upload one with POST /media/thumbnail). Removing none is not an error.")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal().UserId;
                await cluster.GetGrain<IChannelMediaGrain>(0).RemoveChannelImageAsync(me, me, ChannelImageKind.Thumbnail);
                return await Channel(me).GetAsync();
            });

        mutation.Field<NonNullGraphType<ChannelType>>("follow")
            .Description("Idempotent: following twice is the same as once.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal();
                var channel = Channel(Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"));
                await rateLimiter.EnsureAllowedAsync($"follow:{me.UserId}", limits.Value.FollowPerAccount, "follows and unfollows");
                await channel.FollowAsync(me.UserId);
                return await channel.GetAsync();
            });

        mutation.Field<NonNullGraphType<ChannelType>>("unfollow")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal();
                var channel = Channel(Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"));
                await rateLimiter.EnsureAllowedAsync($"follow:{me.UserId}", limits.Value.FollowPerAccount, "follows and unfollows");
                await channel.UnfollowAsync(me.UserId);
                return await channel.GetAsync();
            });
    }

    private const string TagsFilterDescription = "Only channels with every one of these tags (at most 5; case ignored).";
    private const string LanguageFilterDescription = "Only channels in this language (an ISO 639-1 code from streamLanguages).";

    private IChannelDirectoryGrain Directory => cluster.GetGrain<IChannelDirectoryGrain>(0);

    /// <summary>The filter as sent; the directory checks it (BAD_USER_INPUT with field tags or language).</summary>
    private static DirectoryFilter? Filter(IResolveFieldContext ctx)
    {
        var tags = ctx.GetArgument<List<string>?>("tags");
        var language = ctx.GetArgument<string?>("language");
        return tags is { Count: > 0 } || language is not null ? new DirectoryFilter(tags ?? [], language) : null;
    }

    private IChannelGrain Channel(Guid id) => cluster.GetGrain<IChannelGrain>(id);

    private IChannelGrain MyChannel(IResolveFieldContext ctx) => Channel(ctx.WgUser().RequirePrincipal().UserId);

    /// <summary>Resolves each follow's channel from its grain, in parallel; a channel that no longer exists drops out.</summary>
    private async Task<Connection<FollowNode>> FollowsAsync(Page<FollowEntry> page)
    {
        var profiles = await Task.WhenAll(page.Edges.Select(e => Channel(e.Node.ChannelId).GetAsync()));
        var edges = page.Edges.Zip(profiles)
            .Where(pair => pair.Second is not null)
            .Select(pair => new ConnectionEdge<FollowNode>(pair.First.Cursor, new FollowNode(pair.Second!, pair.First.Node.FollowedAt)))
            .ToList();
        return new Connection<FollowNode>(edges, page.HasNextPage);
    }
}
