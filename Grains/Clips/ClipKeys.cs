namespace WgStream.Grains.Clips;

/// <summary>Where a clip's files live in the media store: under one prefix, so removing a clip removes the prefix.</summary>
public static class ClipKeys
{
    public const string VideoContentType = "video/mp4";

    public static string Prefix(Guid clipId) => $"clips/{clipId:N}";

    public static string Video(Guid clipId) => $"{Prefix(clipId)}/clip.mp4";

    public static string Thumbnail(Guid clipId) => $"{Prefix(clipId)}/thumbnail.webp";
}
