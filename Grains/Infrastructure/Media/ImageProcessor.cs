using Microsoft.Extensions.Options;
using SkiaSharp;
using WgStream.Gateways.Media;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Infrastructure.Media;

/// <summary>
/// Turns an upload into the fixed WebP sizes of its <see cref="ImageKind"/>: checks it, decodes it once
/// (at the smallest size the codec offers that still covers the largest target, once the
/// <see cref="DecodeGate"/> has room for its pixels), honours the EXIF orientation, center-crops to each
/// target's aspect ratio and resizes. Re-encoding
/// from pixels drops every bit of metadata (EXIF, GPS, ICC, comments) and anything smuggled beside the
/// image data, so what is stored is only what we drew.
/// </summary>
/// <remarks>
/// SkiaSharp (Google's Skia, the decoders Chrome ships), not ImageSharp: the registry we build from serves
/// only SixLabors.ImageSharp 2.1.13, which has published vulnerabilities with crafted images, and
/// ImageSharp 3.x needs a paid licence for commercial use.
/// </remarks>
public sealed class ImageProcessor(IOptions<MediaOptions> options, DecodeGate gate)
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
        [ImageKind.Category] = [new("285x380", 285, 380)],
    };

    private static readonly HashSet<SKEncodedImageFormat> Accepted =
    [
        SKEncodedImageFormat.Jpeg,
        SKEncodedImageFormat.Png,
        SKEncodedImageFormat.Webp,
        SKEncodedImageFormat.Gif,
    ];

    public async Task<IReadOnlyList<ProcessedImage>> ProcessAsync(ReadOnlyMemory<byte> input, ImageKind kind, CancellationToken ct = default) =>
        (await ProcessDetailedAsync(input, kind, ct)).Images;

    /// <summary>As <see cref="ProcessAsync"/>, and says how large the pixels were decoded and what the decode was charged.</summary>
    internal Task<ImageProcessing> ProcessDetailedAsync(ReadOnlyMemory<byte> input, ImageKind kind, CancellationToken ct = default)
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
        return Task.Run(() => ProcessCoreAsync(input, targets, limits.MaxPixels, ct), ct);
    }

    private async Task<ImageProcessing> ProcessCoreAsync(ReadOnlyMemory<byte> input, Target[] targets, long maxPixels, CancellationToken ct)
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

        var origin = codec.EncodedOrigin; // from EXIF: JPEG mostly, also WebP and PNG eXIf
        var size = DecodeSize(codec, origin, targets);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());

        // No pixels are allocated before the node has room for them.
        using var lease = await gate.EnterAsync(Cost(info, targets), ct);
        ct.ThrowIfCancellationRequested();
        using var decoded = Decode(codec, info);

        var results = new List<ProcessedImage>(targets.Length);
        foreach (var target in targets)
        {
            ct.ThrowIfCancellationRequested();
            results.Add(Render(decoded, origin, target));
        }

        return new ImageProcessing(results, size, lease.Bytes);
    }

    /// <summary>
    /// The smallest size the codec can decode to (JPEG in eighths, WebP to any size) whose center crop
    /// still covers every target at full resolution, so the largest output is never upscaled from a
    /// smaller decode. PNG and GIF decode only at full size; the budget is charged for that.
    /// </summary>
    internal static SKSizeI DecodeSize(SKCodec codec, SKEncodedOrigin origin, IReadOnlyCollection<Target> targets)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        var (width, height) = Oriented(full, origin);
        var needed = targets.Max(t =>
        {
            var crop = CenterCrop(width, height, t.Width, t.Height);
            return Math.Max(t.Width / crop.Width, t.Height / crop.Height);
        });

        // Codecs round the scale to what they support, sometimes down: step up until the result covers.
        for (var scale = needed; scale < 1; scale = (scale * 1.02f) + 0.001f)
        {
            var size = codec.GetScaledDimensions(scale);
            if (size.Width * size.Height >= full.Width * full.Height)
            {
                break;
            }

            if (Covers(Oriented(size, origin), targets))
            {
                return size;
            }
        }

        return full;
    }

    private static bool Covers((int Width, int Height) size, IEnumerable<Target> targets) => targets.All(t =>
    {
        var crop = CenterCrop(size.Width, size.Height, t.Width, t.Height);
        return crop.Width >= t.Width && crop.Height >= t.Height;
    });

    /// <summary>
    /// What a decode holds at its peak: the decoded pixels, the mipmaps drawn from when shrinking (a third
    /// more) and one surface per target.
    /// </summary>
    internal static long Cost(SKImageInfo decoded, IEnumerable<Target> targets) =>
        (decoded.BytesSize64 * 4 / 3) + targets.Sum(t => (long)t.Width * t.Height * 4);

    private static (int Width, int Height) Oriented(SKSizeI stored, SKEncodedOrigin origin) =>
        Swaps(origin) ? (stored.Height, stored.Width) : (stored.Width, stored.Height);

    private static bool Swaps(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>The first frame (for GIF and animated WebP), converted to 8-bit RGBA in sRGB, at <paramref name="info"/>'s size.</summary>
    private static SKImage Decode(SKCodec codec, SKImageInfo info)
    {
        var bitmap = new SKBitmap();
        try
        {
            if (!bitmap.TryAllocPixels(info))
            {
                throw new InsufficientMemoryException($"Could not allocate {info.BytesSize64:N0} bytes for the pixels of an image.");
            }

            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result == SKCodecResult.InvalidScale)
            {
                // The size came from the codec's own GetScaledDimensions: this is our mistake, not the file's.
                throw new InvalidOperationException($"The {codec.EncodedFormat} codec refused to decode at {info.Width}x{info.Height}, a size it proposed.");
            }

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
    /// The matrix that maps stored pixels to where a viewer shows them, as the EXIF orientation says (phones
    /// store photos sideways); identity when they are stored upright already.
    /// </summary>
    private static SKMatrix Orientation(SKEncodedOrigin origin, float w, float h) => origin switch
    {
        // x' = ScaleX·x + SkewX·y + TransX, y' = SkewY·x + ScaleY·y + TransY.
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    /// <summary>
    /// Turns the stored pixels upright, center-crops to the target's aspect ratio and resizes, in one draw
    /// (no upright copy of the decoded image), then encodes as lossy WebP.
    /// </summary>
    private static ProcessedImage Render(SKImage source, SKEncodedOrigin origin, Target target)
    {
        var (width, height) = Oriented(new SKSizeI(source.Width, source.Height), origin);
        var crop = CenterCrop(width, height, target.Width, target.Height);
        var info = new SKImageInfo(target.Width, target.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Skia could not create a surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);

        // Applied last to first: orient the stored pixels, move the crop to the origin, scale it onto the target.
        canvas.Scale(target.Width / crop.Width, target.Height / crop.Height);
        canvas.Translate(-crop.Left, -crop.Top);
        canvas.Concat(Orientation(origin, source.Width, source.Height));

        // Shrinking by a large factor needs mipmaps to avoid aliasing; enlarging looks best with a cubic filter.
        var sampling = crop.Width > target.Width
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        canvas.DrawImage(source, 0, 0, sampling);
        canvas.Flush();

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

    internal sealed record Target(string Variant, int Width, int Height);
}
