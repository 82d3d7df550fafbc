using GraphQL;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Channels;

public sealed class ChannelType : ObjectGraphType<ChannelProfile>
{
    internal const string ThumbnailDescription =
        "What to show for the channel: while live, the newest frame of the stream (640×360 WebP, about every minute) once one "
        + "has been captured; otherwise, and until then, the owner's uploaded thumbnail (1280×720 WebP); null when neither.";

    public ChannelType(IClusterClient cluster)
    {
        Name = "Channel";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field(x => x.Username);
        Field(x => x.DisplayName);
        Field(x => x.Bio);
        Field<StringGraphType>("avatarUrl").Description("300×300 WebP.").Resolve(ctx => ctx.Source.Avatar?.Urls.GetValueOrDefault("300"));
        Field<StringGraphType>("avatarSmallUrl").Description("70×70 WebP.").Resolve(ctx => ctx.Source.Avatar?.Urls.GetValueOrDefault("70"));
        Field<StringGraphType>("bannerUrl").Description("1200×480 WebP.").Resolve(ctx => ctx.Source.Banner?.Urls.Values.FirstOrDefault());
        Field<StringGraphType>("thumbnailUrl")
            .Description(ThumbnailDescription)
            .Resolve(ctx => ChannelThumbnails.Effective(ctx.Source.IsLive, ctx.Source.LiveThumbnailUrl, CustomThumbnail(ctx.Source)));
        Field<StringGraphType>("customThumbnailUrl")
            .Description("The owner's uploaded thumbnail (1280×720 WebP), live or not; null when none (POST /media/thumbnail, removeThumbnail).")
            .Resolve(ctx => CustomThumbnail(ctx.Source));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SocialLinkType>>>>("socialLinks").Resolve(ctx => ctx.Source.SocialLinks);
        Field(x => x.FollowerCount);
        Field(x => x.IsLive);
        Field<NonNullGraphType<IntGraphType>>("viewerCount").Description("Viewers of the live broadcast; 0 when offline.").Resolve(ctx => ctx.Source.Live?.ViewerCount ?? 0);
        Field<Streams.StreamType>("liveStream")
            .Description("The broadcast the channel is live with, or null.")
            .ResolveAsync(async ctx => ctx.Source.Live is { } live ? await cluster.GetGrain<GrainInterfaces.Streams.IStreamGrain>(live.StreamId).GetAsync() : null);
        Field(x => x.Verified);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("tags")
            .Description(TagsDescription)
            .Resolve(ctx => ctx.Source.Classified.Tags);
        Field<StringGraphType>("language").Description(LanguageDescription).Resolve(ctx => ctx.Source.Classified.Language);
        Field<NonNullGraphType<BooleanGraphType>>("mature").Description(MatureDescription).Resolve(ctx => ctx.Source.Classified.Mature);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<StringGraphType>("emotePrefix")
            .Description("What the channel's emotes begin with (aliceHype); null until the owner sets one or uploads a first emote, which takes one from the username.")
            .ResolveAsync(async ctx => (await cluster.GetGrain<GrainInterfaces.Chat.IChannelEmotesGrain>(ctx.Source.Id).GetAsync()).Prefix);
        Field<NonNullGraphType<BooleanGraphType>>("followedByMe")
            .DependsOnViewer()
            .ResolveAsync(async ctx => ctx.WgUser().Principal is { } p
                && p.UserId != ctx.Source.Id
                && await cluster.GetGrain<IChannelGrain>(ctx.Source.Id).IsFollowedByAsync(p.UserId));
        Field<NonNullGraphType<BooleanGraphType>>("blockedByMe")
            .Description("Whether you blocked this user (see blockUser).")
            .DependsOnViewer()
            .ResolveAsync(async ctx => ctx.WgUser().Principal is { } p
                && p.UserId != ctx.Source.Id
                && await cluster.GetGrain<IUserBlocksGrain>(p.UserId).HasBlockedAsync(ctx.Source.Id));
    }

    internal const string TagsDescription = "Up to 10 tags as the owner typed them (matched ignoring case; liveChannels(tags:) filters by them).";
    internal const string LanguageDescription = "ISO 639-1 code of the language the channel streams in (one of streamLanguages); null when not set.";
    internal const string MatureDescription = "Intended for mature audiences: clients ask viewers to confirm before playing.";

    private static string? CustomThumbnail(ChannelProfile channel) => channel.Thumbnail?.Urls.GetValueOrDefault(ChannelThumbnails.Variant);
}

public sealed class SocialLinkType : ObjectGraphType<SocialLink>
{
    public SocialLinkType()
    {
        Name = "SocialLink";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field(x => x.Title);
        Field(x => x.Url);
    }
}

/// <summary>A channel as the directory lists it (search results, live directory).</summary>
public sealed class ChannelSummaryType : ObjectGraphType<ChannelListing>
{
    public ChannelSummaryType()
    {
        Name = "ChannelSummary";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field(x => x.Username);
        Field(x => x.DisplayName);
        Field(x => x.AvatarUrl, nullable: true).Description("70×70 WebP.");
        Field(x => x.FollowerCount);
        Field(x => x.IsLive);
        Field(x => x.ViewerCount);
        Field(x => x.StreamTitle, nullable: true);
        Field(x => x.CategorySlug, nullable: true);
        Field(x => x.Verified);
        Field(x => x.ThumbnailUrl, nullable: true).Description(ChannelType.ThumbnailDescription);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("tags")
            .Description(ChannelType.TagsDescription)
            .Resolve(ctx => ctx.Source.Tags ?? []);
        Field(x => x.Language, nullable: true).Description(ChannelType.LanguageDescription);
        Field(x => x.Mature).Description(ChannelType.MatureDescription);
    }
}

public sealed class StreamLanguageType : ObjectGraphType<GrainInterfaces.Channels.StreamLanguage>
{
    public StreamLanguageType()
    {
        Name = "StreamLanguage";
        Description = "A language a channel can stream in.";
        Field(x => x.Code).Description("ISO 639-1 code.");
        Field(x => x.NativeName).Description("The language's name for itself (English, Українська, Deutsch…).");
    }
}

public sealed class CategoryType : ObjectGraphType<Category>
{
    public CategoryType()
    {
        Name = "Category";
        Field(x => x.Slug);
        Field<NonNullGraphType<StringGraphType>>("name")
            .Description("In the caller's language (Accept-Language: uk or en).")
            .Resolve(ctx => ctx.WgUser().Language == "uk" ? ctx.Source.NameUk : ctx.Source.NameEn);
        Field(x => x.NameEn);
        Field(x => x.NameUk);
        Field(x => x.LiveChannelCount).Description("Channels live in it now.");
        Field(x => x.ViewerCount).Description("Viewers of its live channels (as last written to the directory, every few seconds).");
        Field(x => x.ImageUrl, nullable: true).Description("Box art, 285×380 WebP; null when none was uploaded.");
    }
}

public sealed class ChannelSummaryEdgeType : EdgeType<ChannelSummaryType, ChannelListing>
{
    public ChannelSummaryEdgeType()
        : base("ChannelSummaryEdge")
    {
    }
}

public sealed class ChannelSummaryConnectionType : ConnectionType<ChannelSummaryEdgeType, ChannelListing>
{
    public ChannelSummaryConnectionType()
        : base("ChannelSummaryConnection")
    {
    }
}

/// <summary>One follow: the channel on the other side and when it started.</summary>
public sealed record FollowNode(ChannelProfile Channel, DateTimeOffset FollowedAt);

public sealed class FollowEdgeType : ObjectGraphType<ConnectionEdge<FollowNode>>
{
    public FollowEdgeType()
    {
        Name = "FollowEdge";
        Field(x => x.Cursor);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("followedAt").Resolve(ctx => ctx.Source.Node.FollowedAt);
        Field<NonNullGraphType<ChannelType>>("node").Resolve(ctx => ctx.Source.Node.Channel);
    }
}

public sealed class FollowConnectionType : ConnectionType<FollowEdgeType, FollowNode>
{
    public FollowConnectionType()
        : base("FollowConnection")
    {
    }
}

public sealed class UpdateChannelInput
{
    public string? DisplayName { get; set; }

    public string? Bio { get; set; }
}

public sealed class UpdateChannelInputType : InputObjectGraphType<UpdateChannelInput>
{
    public UpdateChannelInputType()
    {
        Name = "UpdateChannelInput";
        Field(x => x.DisplayName, nullable: true);
        Field(x => x.Bio, nullable: true);
    }
}
