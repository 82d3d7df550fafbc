using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Api.Chat;

/// <summary>
/// Channel emotes over GraphQL: listing them, what a viewer may use in a room (the picker), and the
/// owner's prefix, renames, sponsor-only switch and deletions. Uploads are <c>POST /media/emote</c>
/// (<see cref="EmoteUploadEndpoints"/>).
/// </summary>
public sealed class EmoteSchema(IClusterClient cluster, KnownChannels channels, IOptions<EmoteOptions> options, TimeProvider clock) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChannelEmoteType>>>>("channelEmotes")
            .Description("A channel's uploaded emotes, oldest first.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx =>
            {
                var channelId = ChannelArg(ctx);
                await channels.EnsureExistsAsync(channelId);
                return (await Emotes(channelId).GetAsync()).Emotes;
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EmoteType>>>>("availableEmotes")
            .Description(
                "The emote picker of a channel's chat: the global emotes, this channel's (its sponsor-only ones with usable: false unless you "
                + "sponsor it), and the sponsor-only emotes of the channels you sponsor (and of your own channel), usable in any chat.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .DependsOnViewer()
            .ResolveAsync(async ctx =>
            {
                var channelId = ChannelArg(ctx);
                await channels.EnsureExistsAsync(channelId);
                return await AvailableAsync(channelId, ctx.WgUser().Principal?.UserId);
            });

        query.Field<NonNullGraphType<EmoteLimitsType>>("emoteLimits")
            .Description("What emote uploads and channels may have (Emotes:* settings).")
            .Resolve(_ => options.Value);
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<StringGraphType>>("setEmotePrefix")
            .Description(
                "The owner sets the channel's emote prefix: 3 to 10 lower-case letters or digits, free across the platform, not another "
                + "account's username and not beginning with wg. Every emote's code changes with it. Returns the prefix.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<StringGraphType>>("prefix")
            .ResolveAsync(async ctx => await Emotes(ChannelArg(ctx)).SetPrefixAsync(Me(ctx), ctx.GetArgument<string>("prefix")));

        mutation.Field<NonNullGraphType<ChannelEmoteType>>("renameEmote")
            .Description("A new suffix: 2 to 20 letters or digits beginning with a capital letter, not another emote's of the channel (ignoring case).")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("emoteId")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .ResolveAsync(async ctx => await Emotes(ChannelArg(ctx)).RenameAsync(Me(ctx), EmoteArg(ctx), ctx.GetArgument<string>("name")));

        mutation.Field<NonNullGraphType<ChannelEmoteType>>("setEmoteSponsorOnly")
            .Description("Sponsor-only emotes are usable by the channel's active sponsors only, in any chat.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("emoteId")
            .Argument<NonNullGraphType<BooleanGraphType>>("sponsorOnly")
            .ResolveAsync(async ctx => await Emotes(ChannelArg(ctx)).SetSponsorOnlyAsync(Me(ctx), EmoteArg(ctx), ctx.GetArgument<bool>("sponsorOnly")));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteEmote")
            .Description("Removes the emote and its images; messages that used it keep their text.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("emoteId")
            .ResolveAsync(async ctx =>
            {
                await Emotes(ChannelArg(ctx)).DeleteAsync(Me(ctx), EmoteArg(ctx));
                return true;
            });
    }

    private async Task<List<Emote>> AvailableAsync(Guid channelId, Guid? viewer)
    {
        var available = EmoteCatalog.Names.Select(name => new Emote(name, EmoteCatalog.ImageUrl(name)!)).ToList();
        var here = Emotes(channelId).GetAsync();
        var sponsorsHere = viewer is { } me && (me == channelId || await cluster.GetGrain<IChannelSponsorsGrain>(channelId).IsSponsorAsync(me));
        available.AddRange((await here).Emotes.Select(e => Emote.Of(e, usable: !e.SponsorOnly || sponsorsHere)));
        if (viewer is not { } userId)
        {
            return available;
        }

        // Elsewhere, only sponsor-only emotes travel: those of the channels the viewer sponsors now, and their own.
        var now = clock.GetUtcNow();
        var others = (await cluster.GetGrain<ISponsorshipDirectoryGrain>(0).SponsorshipsOfAsync(userId))
            .Where(s => s.Status == SponsorshipStatus.Active && s.ExpiresAt > now)
            .Select(s => s.ChannelId)
            .Append(userId)
            .Where(id => id != channelId)
            .Distinct()
            .ToList();
        foreach (var set in await Task.WhenAll(others.Select(id => Emotes(id).GetAsync())))
        {
            available.AddRange(set.Emotes.Where(e => e.SponsorOnly).Select(e => Emote.Of(e, usable: true)));
        }

        return available;
    }

    private IChannelEmotesGrain Emotes(Guid channelId) => cluster.GetGrain<IChannelEmotesGrain>(channelId);

    private static Guid ChannelArg(IResolveFieldContext ctx) => Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");

    private static Guid EmoteArg(IResolveFieldContext ctx) => Ids.Parse(ctx.GetArgument<string>("emoteId"), "emoteId");

    private static Guid Me(IResolveFieldContext ctx) => ctx.WgUser().RequirePrincipal().UserId;
}
