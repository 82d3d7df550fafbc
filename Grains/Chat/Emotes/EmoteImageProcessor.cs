using System.Globalization;
using Microsoft.Extensions.Options;
using SkiaSharp;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Infrastructure.Media;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>
/// Turns an emote upload (PNG, GIF or WebP) into square WebP images of 28, 56 and 112 pixels: the
/// picture is fitted whole into the square (a wide one gets transparent bands rather than losing its
/// sides, as an avatar's crop would). Everything is bounded from the header before a pixel is
/// decoded: the file's size, its width × height, and for animations the frames, one loop's length
/// and width × height × frames; then the decode waits for room in the node's <see cref="DecodeGate"/>,
/// charged for every frame it holds at once. A still image is drawn and encoded with SkiaSharp
/// (lossless WebP: emotes are small drawings). An animated GIF or WebP is decoded frame by frame with
/// SkiaSharp (which composes frames the way browsers do), each frame drawn at the three sizes, and
/// <see cref="AnimatedEmoteEncoder"/> makes looping animated WebP of them with ffmpeg.
/// Re-encoding from pixels keeps none of the upload's metadata.
/// </summary>
public sealed class EmoteImageProcessor(IOptions<EmoteOptions> options, DecodeGate gate, AnimatedEmoteEncoder encoder)
{
    private static readonly HashSet<SKEncodedImageFormat> Accepted = [SKEncodedImageFormat.Png, SKEncodedImageFormat.Gif, SKEncodedImageFormat.Webp];

    /// <summary>
    /// Browsers show GIF frames of 10 ms or less for 100 ms (older GIFs rely on it), and so do we,
    /// so an emote loops as fast as its GIF did in a browser.
    /// </summary>
    private const int ShortestFrameMilliseconds = 20;

    private const int ShortFrameShownFor = 100;

    /// <summary>Reads the header; BAD_USER_INPUT (field <c>file</c>) for anything outside the limits. Cheap: no pixels.</summary>
    public EmoteUpload Inspect(ReadOnlyMemory<byte> input)
    {
        using var data = Data(input);
        using var codec = Open(data);
        return Check(codec);
    }

    /// <summary>The three sizes; BAD_USER_INPUT for a bad file, BUSY when the node has no room to decode it now.</summary>
    public Task<ProcessedEmote> ProcessAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken = default)
    {
        using (var data = Data(input))
        using (var codec = Open(data))
        {
            Check(codec);
        }

        // Decoding and drawing are CPU-bound: off the caller's scheduler.
        return Task.Run(() => ProcessCoreAsync(input, cancellationToken), cancellationToken);
    }

    private SKData Data(ReadOnlyMemory<byte> input)
    {
        var limit = options.Value.MaxUploadBytes;
        if (input.IsEmpty)
        {
            throw Refuse("The file is empty.");
        }

        if (input.Length > limit)
        {
            throw Refuse($"The file is too large ({input.Length:N0} bytes); an emote is at most {limit:N0} bytes ({limit / 1024.0 / 1024.0:0.#} MiB).");
        }

        return SKData.CreateCopy(input.Span);
    }

    private static SKCodec Open(SKData data)
    {
        var codec = SKCodec.Create(data) ?? throw Refuse("The file is not an image that can be read: it is damaged, truncated or not an image at all.");
        if (!Accepted.Contains(codec.EncodedFormat))
        {
            var format = codec.EncodedFormat.ToString().ToUpperInvariant();
            codec.Dispose();
            throw Refuse($"{format} images are not accepted for emotes; upload a PNG, GIF or WebP.");
        }

        return codec;
    }

    private EmoteUpload Check(SKCodec codec)
    {
        var limits = options.Value;
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        var pixels = (long)width * height;
        if (pixels > limits.MaxPixels)
        {
            throw Refuse($"The image is too large ({width}x{height} pixels); an emote has at most {limits.MaxPixels:N0} pixels.");
        }

        if (width < EmoteImageSizes.MinSide || height < EmoteImageSizes.MinSide)
        {
            throw Refuse($"The image is too small ({width}x{height} pixels); an emote is at least {EmoteImageSizes.MinSide}x{EmoteImageSizes.MinSide}.");
        }

        var frames = Math.Max(1, codec.FrameCount);
        if (frames == 1)
        {
            return new EmoteUpload(codec.EncodedFormat, width, height, 1, TimeSpan.Zero);
        }

        if (frames > limits.MaxFrames)
        {
            throw Refuse($"The animation has {frames} frames; an animated emote has at most {limits.MaxFrames}.");
        }

        var duration = TimeSpan.FromMilliseconds(Durations(codec).Sum());
        if (duration > limits.MaxDuration)
        {
            throw Refuse($"The animation lasts {duration.TotalSeconds:0.##} s; an animated emote loops in at most {limits.MaxDuration.TotalSeconds:0.##} s.");
        }

        if (pixels * frames > limits.MaxAnimatedPixels)
        {
            throw Refuse(
                $"The animation is too large ({frames} frames of {width}x{height}); frames × width × height is at most {limits.MaxAnimatedPixels:N0}. Make it smaller or shorter.");
        }

        return new EmoteUpload(codec.EncodedFormat, width, height, frames, duration);
    }

    private static List<int> Durations(SKCodec codec) =>
        codec.FrameInfo.Select(f => f.Duration < ShortestFrameMilliseconds ? ShortFrameShownFor : f.Duration).ToList();

    private async Task<ProcessedEmote> ProcessCoreAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        using var data = SKData.CreateCopy(input.Span);
        using var codec = Open(data);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        var surfaces = EmoteImageSizes.Sizes.Sum(s => (long)s * s * 4);
        if (codec.FrameCount <= 1)
        {
            // The pixels, the mipmaps drawn from when shrinking (a third more) and the surfaces.
            using var still = await gate.EnterAsync((info.BytesSize64 * 4 / 3) + surfaces, cancellationToken);
            using var bitmap = DecodeFrame(codec, info, 0, -1, null);
            using var image = SKImage.FromBitmap(bitmap);
            return new ProcessedEmote(false, EmoteImageSizes.Sizes.Select(size => Still(image, size)).ToList());
        }

        var frames = codec.FrameInfo;
        var lastUse = LastUses(frames);
        using var lease = await gate.EnterAsync(((PeakHeld(lastUse) + 1) * info.BytesSize64 * 4 / 3) + surfaces, cancellationToken);
        var work = Directory.CreateTempSubdirectory("wg-emote-");
        var held = new SKBitmap?[frames.Length];
        try
        {
            foreach (var size in EmoteImageSizes.Sizes)
            {
                Directory.CreateDirectory(Path.Combine(work.FullName, size.ToString(CultureInfo.InvariantCulture)));
            }

            for (var frame = 0; frame < frames.Length; frame++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var required = frames[frame].RequiredFrame;
                var bitmap = DecodeFrame(codec, info, frame, required, required >= 0 ? held[required] : null);
                using (var image = SKImage.FromPixels(bitmap.PeekPixels()))
                {
                    foreach (var size in EmoteImageSizes.Sizes)
                    {
                        using var pixels = Draw(image, size);
                        using var png = pixels.PeekPixels().Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 1))
                            ?? throw new InvalidOperationException("Skia could not encode PNG.");
                        await File.WriteAllBytesAsync(Path.Combine(work.FullName, size.ToString(CultureInfo.InvariantCulture), $"{frame:D3}.png"), png.ToArray(), cancellationToken);
                    }
                }

                // Keep a frame only while a later one is drawn on top of it.
                held[frame] = lastUse[frame] > frame ? bitmap : null;
                if (held[frame] is null)
                {
                    bitmap.Dispose();
                }

                for (var earlier = 0; earlier < frame; earlier++)
                {
                    if (held[earlier] is { } done && lastUse[earlier] <= frame)
                    {
                        done.Dispose();
                        held[earlier] = null;
                    }
                }
            }

            var encoded = await encoder.EncodeAsync(work.FullName, EmoteImageSizes.Sizes, Durations(codec), cancellationToken);
            return new ProcessedEmote(true, EmoteImageSizes.Sizes.Select(size => new ProcessedImage(Variant(size), size, size, encoded[size], ImageProcessor.ContentType)).ToList());
        }
        finally
        {
            foreach (var bitmap in held)
            {
                bitmap?.Dispose();
            }

            work.Delete(recursive: true);
        }
    }

    public static string Variant(int size) => size.ToString(CultureInfo.InvariantCulture);

    /// <summary>For each frame, the last frame drawn on top of it (itself when none is).</summary>
    private static int[] LastUses(SKCodecFrameInfo[] frames)
    {
        var lastUse = Enumerable.Range(0, frames.Length).ToArray();
        for (var frame = 0; frame < frames.Length; frame++)
        {
            if (frames[frame].RequiredFrame is >= 0 and var required && required < frame)
            {
                lastUse[required] = Math.Max(lastUse[required], frame);
            }
        }

        return lastUse;
    }

    /// <summary>The most decoded frames held at once while frame after frame is decoded.</summary>
    private static int PeakHeld(int[] lastUse)
    {
        var peak = 0;
        for (var frame = 0; frame < lastUse.Length; frame++)
        {
            var held = Enumerable.Range(0, frame).Count(earlier => lastUse[earlier] >= frame);
            peak = Math.Max(peak, held);
        }

        return peak;
    }

    /// <summary>
    /// Decodes one frame at full size. A frame drawn on top of an earlier one starts from a copy of
    /// that frame's pixels, which the codec is told of, so it composes and disposes as the format says.
    /// </summary>
    private static SKBitmap DecodeFrame(SKCodec codec, SKImageInfo info, int frame, int required, SKBitmap? under)
    {
        var bitmap = new SKBitmap();
        try
        {
            if (!bitmap.TryAllocPixels(info))
            {
                throw new InsufficientMemoryException($"Could not allocate {info.BytesSize64:N0} bytes for the pixels of an emote.");
            }

            if (under is not null)
            {
                under.GetPixelSpan().CopyTo(bitmap.GetPixelSpan());
            }
            else
            {
                bitmap.Erase(SKColors.Transparent);
            }

            var options = under is null ? new SKCodecOptions(frame) : new SKCodecOptions(frame, required);
            var result = codec.GetPixels(info, bitmap.GetPixels(), options);
            if (result != SKCodecResult.Success)
            {
                throw Refuse($"The image could not be decoded ({(result == SKCodecResult.IncompleteInput ? "the data ends early" : "the data is invalid")}): it is damaged or truncated.");
            }

            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    /// <summary>The picture fitted whole, centered, into a transparent square of <paramref name="size"/> pixels.</summary>
    private static SKBitmap Draw(SKImage source, int size)
    {
        var info = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap(info);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Transparent);
        var scale = Math.Min((float)size / source.Width, (float)size / source.Height);
        var (width, height) = (source.Width * scale, source.Height * scale);
        var target = SKRect.Create((size - width) / 2, (size - height) / 2, width, height);

        // Shrinking needs mipmaps to avoid aliasing; enlarging looks best with a cubic filter.
        var sampling = scale < 1
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        canvas.DrawImage(source, target, sampling);
        canvas.Flush();
        return bitmap;
    }

    private static ProcessedImage Still(SKImage source, int size)
    {
        using var bitmap = Draw(source, size);
        using var encoded = bitmap.PeekPixels().Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 75))
            ?? throw new InvalidOperationException("Skia could not encode WebP.");
        return new ProcessedImage(Variant(size), size, size, encoded.ToArray(), ImageProcessor.ContentType);
    }

    private static WgException Refuse(string message) => WgException.BadInput(message, "file");
}
