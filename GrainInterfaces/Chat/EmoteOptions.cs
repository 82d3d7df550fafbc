using WgStream.GrainInterfaces.Common;

namespace WgStream.GrainInterfaces.Chat;

/// <summary>Bound from the <c>Emotes</c> section: channel emotes' limits, their uploads and how chat caches them.</summary>
public sealed class EmoteOptions : ICheckedOptions
{
    public const string Section = "Emotes";

    /// <summary>Emotes one channel may have, animated ones included.</summary>
    public int MaxPerChannel { get; set; } = 50;

    /// <summary>Of those, how many may be animated (each is a heavier file in every viewer's chat).</summary>
    public int MaxAnimatedPerChannel { get; set; } = 10;

    /// <summary>An emote upload larger than this is refused before it is read (emotes are small; <c>Media:MaxUploadBytes</c> is for photos).</summary>
    public long MaxUploadBytes { get; set; } = 1024 * 1024;

    /// <summary>Width × height of an emote (of each frame, when animated), read from the header before anything is decoded: 4096×4096.</summary>
    public long MaxPixels { get; set; } = 4096L * 4096;

    /// <summary>Frames of an animated emote (GIF or WebP).</summary>
    public int MaxFrames { get; set; } = 60;

    /// <summary>How long one loop of an animated emote may last.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Width × height × frames of an animated emote: what its decode costs, bounded before it starts
    /// (60 frames of 528×528, or 16 of 1024×1024).
    /// </summary>
    public long MaxAnimatedPixels { get; set; } = 4096L * 4096;

    /// <summary>The ffmpeg that encodes animated emotes (libwebp_anim).</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>How long ffmpeg may take to encode one animated emote's three sizes before it is stopped and the upload answered <c>BUSY</c>.</summary>
    public TimeSpan EncodeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a silo believes what it cached about a prefix (a channel's emotes, or that no channel
    /// has it) when no change was announced: changes are announced on the <c>emotes</c> stream at once,
    /// so this only bounds how long a lost announcement can leave a silo behind.
    /// </summary>
    public TimeSpan CacheTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Different prefixes one chat message may use; codes of further ones stay text (each unknown one may cost a lookup).</summary>
    public int MaxPrefixesPerMessage { get; set; } = 10;

    /// <summary>Configuration mistakes, reported at start rather than at the first upload.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxPerChannel <= 0)
        {
            yield return "Emotes:MaxPerChannel must be positive.";
        }

        if (MaxAnimatedPerChannel < 0 || MaxAnimatedPerChannel > MaxPerChannel)
        {
            yield return "Emotes:MaxAnimatedPerChannel must be 0 to Emotes:MaxPerChannel.";
        }

        if (MaxUploadBytes <= 0 || MaxPixels <= 0 || MaxAnimatedPixels <= 0)
        {
            yield return "Emotes:MaxUploadBytes, MaxPixels and MaxAnimatedPixels must be positive.";
        }

        if (MaxFrames < 2)
        {
            yield return "Emotes:MaxFrames must be at least 2.";
        }

        if (MaxDuration <= TimeSpan.Zero || EncodeTimeout <= TimeSpan.Zero)
        {
            yield return "Emotes:MaxDuration and EncodeTimeout must be positive.";
        }

        if (CacheTime < TimeSpan.Zero)
        {
            yield return "Emotes:CacheTime must not be negative.";
        }

        if (MaxPrefixesPerMessage < 1)
        {
            yield return "Emotes:MaxPrefixesPerMessage must be at least 1.";
        }
    }
}
