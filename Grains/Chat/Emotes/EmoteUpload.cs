using SkiaSharp;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>What an emote upload is, read from its header alone (nothing decoded yet).</summary>
public sealed record EmoteUpload(SKEncodedImageFormat Format, int Width, int Height, int Frames, TimeSpan Duration)
{
    public bool Animated => Frames > 1;
}

/// <summary>An emote's three square WebP sizes, animated or not.</summary>
public sealed record ProcessedEmote(bool Animated, IReadOnlyList<ProcessedImage> Images);
