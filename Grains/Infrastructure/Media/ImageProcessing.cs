using SkiaSharp;

namespace WgStream.Grains.Infrastructure.Media;

/// <summary>What <see cref="ImageProcessor"/> made of an upload, with the size it decoded at and the bytes it charged to the <see cref="DecodeGate"/>.</summary>
internal sealed record ImageProcessing(IReadOnlyList<ProcessedImage> Images, SKSizeI Decoded, long ChargedBytes);
