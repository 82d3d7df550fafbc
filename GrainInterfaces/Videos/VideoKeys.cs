namespace WgStream.GrainInterfaces.Videos;

/// <summary>Where a video's files live in the media store: all under one prefix, so removing a video removes the prefix.</summary>
public static class VideoKeys
{
    public static string Prefix(Guid videoId) => $"videos/{videoId:N}";

    /// <summary>The playlist names segments relative to itself, so it plays from any base URL (local, S3, a CDN).</summary>
    public static string SegmentName(int sequence) => $"{sequence:D5}.ts";

    public static string Segment(Guid videoId, int sequence) => $"{Prefix(videoId)}/{SegmentName(sequence)}";

    public static string Playlist(Guid videoId) => $"{Prefix(videoId)}/index.m3u8";

    public static string Thumbnail(Guid videoId) => $"{Prefix(videoId)}/thumbnail.webp";
}
