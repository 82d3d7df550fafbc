using GraphQL;
using GraphQL.Types;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.Chat;

/// <summary>
/// An emote as the pickers list it: a global one (<c>:wgHype:</c>, an SVG) or a channel's (three
/// WebP sizes). <see cref="Usable"/> is false for a channel's sponsor-only emote the viewer may not
/// use (shown locked); typing it would leave it text.
/// </summary>
public sealed record Emote(
    string Name,
    string ImageUrl,
    IReadOnlyList<EmoteImage>? Images = null,
    Guid? ChannelId = null,
    bool Animated = false,
    bool SponsorOnly = false,
    bool Usable = true)
{
    public string Code => $":{Name}:";

    public static Emote Of(ChannelEmote emote, bool usable) =>
        new(emote.Name, emote.ImageUrl, emote.Images, emote.ChannelId, emote.Animated, emote.SponsorOnly, usable);
}

public sealed class EmoteType : ObjectGraphType<Emote>
{
    public EmoteType()
    {
        Name = "Emote";
        Field(x => x.Name);
        Field(x => x.Code).Description("What to type: :name:.");
        Field(x => x.ImageUrl).Description("The image at chat size (a channel's: 28×28 WebP).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EmoteImageType>>>>("images")
            .Description("A channel emote's sizes (28, 56, 112) for srcset; empty for global emotes, which are SVG.")
            .Resolve(ctx => ctx.Source.Images ?? [])
            .WithComplexityImpact(1, EmoteImageSizes.Sizes.Count);
        Field<IdGraphType>("channelId").Description("The channel whose emote this is; null for global emotes.").Resolve(ctx => ctx.Source.ChannelId);
        Field(x => x.Animated);
        Field(x => x.SponsorOnly).Description("Usable only by the channel's sponsors, in any chat.");
        Field(x => x.Usable).Description("Whether you may use it here; false for a sponsor-only emote of a channel you do not sponsor.");
    }
}

/// <summary>
/// One of an emote's sizes. Lists of these are never longer than the sizes made, so they are scored
/// as three items rather than as a page (a page of chat lines with emotes stays within GraphQL:MaxComplexity).
/// </summary>
public sealed class EmoteImageType : ObjectGraphType<EmoteImage>
{
    public EmoteImageType()
    {
        Name = "EmoteImage";
        Field(x => x.Size).Description("Width and height in pixels: 28, 56 or 112.");
        Field(x => x.Url);
    }
}

public sealed class ChannelEmoteType : ObjectGraphType<ChannelEmote>
{
    public ChannelEmoteType()
    {
        Name = "ChannelEmote";
        Description = "An emote a channel's owner uploaded: :{prefix}{suffix}: in chat.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field(x => x.Name).Description("Prefix and suffix: aliceHype.");
        Field(x => x.Code).Description("What to type: :aliceHype:.");
        Field(x => x.Prefix).Description("The channel's emote prefix.");
        Field(x => x.Suffix).Description("The emote's own part of the name, set on upload and by renameEmote.");
        Field(x => x.Animated);
        Field(x => x.SponsorOnly).Description("Usable only by the channel's active sponsors (and its owner), in any chat.");
        Field(x => x.ImageUrl).Description("28×28 WebP.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EmoteImageType>>>>("images").Description("28, 56 and 112 pixel WebP.").Resolve(ctx => ctx.Source.Images)
            .WithComplexityImpact(1, EmoteImageSizes.Sizes.Count);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
    }
}

public sealed class ChatFragmentEmoteType : ObjectGraphType<ChatFragmentEmote>
{
    public ChatFragmentEmoteType()
    {
        Name = "ChatFragmentEmote";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field(x => x.Animated);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EmoteImageType>>>>("images").Description("28, 56 and 112 pixel WebP.").Resolve(ctx => ctx.Source.Images)
            .WithComplexityImpact(1, EmoteImageSizes.Sizes.Count);
    }
}

/// <summary>What uploads and channels may have, from <c>Emotes:*</c>, for the dashboard to say before anything is refused.</summary>
public sealed class EmoteLimitsType : ObjectGraphType<EmoteOptions>
{
    public EmoteLimitsType()
    {
        Name = "EmoteLimits";
        Field<NonNullGraphType<IntGraphType>>("maxEmotes").Description("Emotes per channel, animated ones included.").Resolve(ctx => ctx.Source.MaxPerChannel);
        Field<NonNullGraphType<IntGraphType>>("maxAnimated").Description("Animated emotes per channel.").Resolve(ctx => ctx.Source.MaxAnimatedPerChannel);
        Field<NonNullGraphType<IntGraphType>>("maxUploadBytes").Description("Largest file accepted.").Resolve(ctx => (int)Math.Min(int.MaxValue, ctx.Source.MaxUploadBytes));
        Field<NonNullGraphType<IntGraphType>>("maxFrames").Description("Frames of an animated emote.").Resolve(ctx => ctx.Source.MaxFrames);
        Field<NonNullGraphType<FloatGraphType>>("maxDurationSeconds").Description("One loop of an animated emote.").Resolve(ctx => ctx.Source.MaxDuration.TotalSeconds);
        Field<NonNullGraphType<IntGraphType>>("minSide").Description("Smallest width and height accepted, in pixels.").Resolve(_ => EmoteImageSizes.MinSide);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("sizes").Description("The square sizes every emote is made in.").Resolve(_ => EmoteImageSizes.Sizes);
        Field<NonNullGraphType<IntGraphType>>("prefixMinLength").Resolve(_ => EmoteRules.PrefixMinLength);
        Field<NonNullGraphType<IntGraphType>>("prefixMaxLength").Resolve(_ => EmoteRules.PrefixMaxLength);
        Field<NonNullGraphType<IntGraphType>>("nameMinLength").Description("Of the suffix.").Resolve(_ => EmoteRules.SuffixMinLength);
        Field<NonNullGraphType<IntGraphType>>("nameMaxLength").Description("Of the suffix.").Resolve(_ => EmoteRules.SuffixMaxLength);
    }
}
