namespace WgStream.GrainInterfaces.Chat;

/// <summary>
/// The pictures every emote is made as: the upload processing makes them, and the GraphQL schema
/// states them (upload limits for the client, the cost of an emote's image list).
/// </summary>
public static class EmoteImageSizes
{
    /// <summary>The sizes made of every emote, in pixels: chat shows 28 (1×), 56 (2×) and 112 (4×, and the pickers' previews).</summary>
    public static readonly IReadOnlyList<int> Sizes = [28, 56, 112];

    /// <summary>The smallest side accepted: the smallest size made, so no picture is stretched more than four times.</summary>
    public const int MinSide = 28;
}
