using Microsoft.Extensions.Options;
using SkiaSharp;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Infrastructure.Media;

/// <summary>
/// Turns an upload into the fixed WebP sizes of its <see cref="ImageKind"/>: checks it, decodes it once,
/// honours the EXIF orientation, center-crops to each target's aspect ratio and resizes. Re-encoding
/// from pixels drops every bit of metadata (EXIF, GPS, ICC, comments) and anything smuggled beside the
/// image data, so what is stored is only what we drew.
/// </summary>
/// <remarks>
/// SkiaSharp (Google's Skia, the decoders Chrome ships), not ImageSharp: the registry we build from serves
/// only SixLabors.ImageSharp 2.1.13, which has published vulnerabilities with crafted images, and
/// ImageSharp 3.x needs a paid licence for commercial use.
/// </remarks>
public sealed class ImageProcessor(IOptions<MediaOptions> options)
{
    public const string ContentType = "image/webp";

    public const int MinSide = 16;

    internal const int Quality = 82;

    private static readonly IReadOnlyDictionary<ImageKind, Target[]> Targets = new Dictionary<ImageKind, Target[]>
    {
        [ImageKind.Avatar] = [new("300", 300, 300), new("70", 70, 70)],
        [ImageKind.Banner] = [new("1200x480", 1200, 480)],
        [ImageKind.Thumbnail] = [new("640x360", 640, 360)],
        [ImageKind.ChannelThumbnail] = [new("1280x720", 1280, 720)],
    };

    private static readonly HashSet<SKEncodedImageFormat> Accepted =
    [
        SKEncodedImageFormat.Jpeg,
        SKEncodedImageFormat.Png,
        SKEncodedImageFormat.Webp,
        SKEncodedImageFormat.Gif,
    ];

    public Task<IReadOnlyList<ProcessedImage>> ProcessAsync(ReadOnlyMemory<byte> input, ImageKind kind, CancellationToken ct = default)
    {
        if (!Targets.TryGetValue(kind, out var targets))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown image kind.");
        }

        var limits = options.Value;
        if (input.IsEmpty)
        {
            throw Refuse("The file is empty.");
        }

        if (input.Length > limits.MaxUploadBytes)
        {
            throw Refuse($"The file is too large ({input.Length:N0} bytes); the limit is {limits.MaxUploadBytes:N0} bytes ({limits.MaxUploadBytes / 1024.0 / 1024.0:0.#} MiB).");
        }

        ct.ThrowIfCancellationRequested();

        // Decoding and encoding are CPU-bound (tens to hundreds of milliseconds): keep them off the caller's scheduler.
        return Task.Run(() => Process(input, targets, limits.MaxPixels, ct), ct);
    }

    private static IReadOnlyList<ProcessedImage> Process(ReadOnlyMemory<byte> input, Target[] targets, long maxPixels, CancellationToken ct)
    {
        using var data = SKData.CreateCopy(input.Span);
        using var codec = SKCodec.Create(data)
            ?? throw Refuse("The file is not an image that can be read: it is damaged, truncated or not an image at all.");

        if (!Accepted.Contains(codec.EncodedFormat))
        {
            throw Refuse($"{codec.EncodedFormat.ToString().ToUpperInvariant()} images are not accepted; upload a JPEG, PNG, WebP or GIF.");
        }

        // The header alone tells the size: refuse decompression bombs before a single pixel is allocated.
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > maxPixels)
        {
            throw Refuse($"The image is too large ({width}x{height} pixels); at most {maxPixels:N0} pixels are accepted.");
        }

        if (width < MinSide || height < MinSide)
        {
            throw Refuse($"The image is too small ({width}x{height} pixels); it must be at least {MinSide}x{MinSide}.");
        }

        ct.ThrowIfCancellationRequested();
        using var decoded = Decode(codec);
        ct.ThrowIfCancellationRequested();
        using var rotated = Orient(decoded, codec.EncodedOrigin); // from EXIF: JPEG mostly, also WebP and PNG eXIf
        var image = rotated ?? decoded;

        var results = new List<ProcessedImage>(targets.Length);
        foreach (var target in targets)
        {
            ct.ThrowIfCancellationRequested();
            results.Add(Render(image, target));
        }

        return results;
    }

    /// <summary>The first frame (for GIF and animated WebP), converted to 8-bit RGBA in sRGB.</summary>
    private static SKImage Decode(SKCodec codec)
    {
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap();
        try
        {
            if (!bitmap.TryAllocPixels(info))
            {
                throw new InsufficientMemoryException($"Could not allocate {info.BytesSize64:N0} bytes for the pixels of an image.");
            }

            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                // IncompleteInput (a truncated file) would otherwise yield a half-grey picture.
                throw Refuse($"The image could not be decoded ({Describe(result)}): it is damaged or truncated.");
            }

            bitmap.SetImmutable();
            return SKImage.FromBitmap(bitmap) ?? throw new InvalidOperationException("Skia could not wrap the decoded pixels.");
        }
        finally
        {
            // The image keeps its own reference to the pixels.
            bitmap.Dispose();
        }
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends early",
        SKCodecResult.ErrorInInput => "the data is invalid",
        _ => result.ToString(),
    };

    /// <summary>
    /// Draws the pixels the way the EXIF orientation says a viewer shows them (phones store photos
    /// sideways); null when they are stored upright already.
    /// </summary>
    private static SKImage? Orient(SKImage image, SKEncodedOrigin origin)
    {
        float w = image.Width, h = image.Height;

        // x' = ScaleX·x + SkewX·y + TransX, y' = SkewY·x + ScaleY·y + TransY, mapping stored to displayed pixels.
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => null,
        };
        if (matrix is null)
        {
            return null;
        }

        var swaps = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var info = new SKImageInfo(swaps ? image.Height : image.Width, swaps ? image.Width : image.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Skia could not create a surface.");
        surface.Canvas.SetMatrix(matrix.Value);
        surface.Canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return surface.Snapshot();
    }

    /// <summary>Center-crops to the target's aspect ratio, resizes, encodes as lossy WebP.</summary>
    private static ProcessedImage Render(SKImage source, Target target)
    {
        var crop = CenterCrop(source.Width, source.Height, target.Width, target.Height);
        var info = new SKImageInfo(target.Width, target.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Skia could not create a surface.");
        surface.Canvas.Clear(SKColors.Transparent);

        // Shrinking by a large factor needs mipmaps to avoid aliasing; enlarging looks best with a cubic filter.
        var sampling = crop.Width > target.Width
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        surface.Canvas.DrawImage(source, crop, SKRect.Create(target.Width, target.Height), sampling);
        surface.Canvas.Flush();

        using var pixmap = surface.PeekPixels();
        using var encoded = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, Quality))
            ?? throw new InvalidOperationException("Skia could not encode WebP.");
        return new ProcessedImage(target.Variant, target.Width, target.Height, encoded.ToArray(), ContentType);
    }

    /// <summary>The largest centered rectangle of the target's aspect ratio inside a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    internal static SKRect CenterCrop(int width, int height, int targetWidth, int targetHeight)
    {
        // Compare width/height with targetWidth/targetHeight without rounding.
        if ((long)width * targetHeight > (long)height * targetWidth)
        {
            var cropWidth = Math.Max(1, (int)Math.Round((double)height * targetWidth / targetHeight));
            var left = (width - cropWidth) / 2;
            return SKRect.Create(left, 0, cropWidth, height);
        }

        var cropHeight = Math.Max(1, (int)Math.Round((double)width * targetHeight / targetWidth));
        var top = (height - cropHeight) / 2;
        return SKRect.Create(0, top, width, cropHeight);
    }

    private static WgException Refuse(string message) => WgException.BadInput(message, "file");

    private sealed record Target(string Variant, int Width, int Height);
}
