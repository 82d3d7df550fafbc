using System.Diagnostics;
using SkiaSharp;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;
using static WgStream.Tests.Media.TestImages;

namespace WgStream.Tests.Media;

[Trait(TestKind.Name, TestKind.Unit)]

public sealed class ImageProcessorTests
{
    private readonly ImageProcessor processor = Processors.Create();

    [Fact]
    public void The_native_Skia_library_loads_here_and_encodes_WebP()
    {
        Assert.True(SkiaSharpVersion.Native.Major >= 119, $"native libSkiaSharp {SkiaSharpVersion.Native}");
        using var bitmap = new SKBitmap(20, 20);
        bitmap.Erase(SKColors.Orange);
        using var data = bitmap.Encode(SKEncodedImageFormat.Webp, 82);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(data.ToArray(), 0, 4));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 400, 400)]
    [InlineData(SKEncodedImageFormat.Jpeg, 1024, 768)]
    [InlineData(SKEncodedImageFormat.Webp, 300, 900)]
    [InlineData(SKEncodedImageFormat.Png, 16, 16)]
    [InlineData(SKEncodedImageFormat.Jpeg, 3000, 17)]
    public async Task An_avatar_becomes_300_and_70_pixel_squares_in_WebP(SKEncodedImageFormat format, int width, int height)
    {
        var results = await processor.ProcessAsync(Encode(format, width, height, Green), ImageKind.Avatar);

        Assert.Equal(["300", "70"], results.Select(r => r.Variant));
        AssertWebP(results[0], 300, 300);
        AssertWebP(results[1], 70, 70);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 2400, 960)]
    [InlineData(SKEncodedImageFormat.Jpeg, 800, 600)]
    [InlineData(SKEncodedImageFormat.Webp, 5000, 500)]
    public async Task A_banner_becomes_1200x480_in_WebP(SKEncodedImageFormat format, int width, int height)
    {
        var result = Assert.Single(await processor.ProcessAsync(Encode(format, width, height, Blue), ImageKind.Banner));
        Assert.Equal("1200x480", result.Variant);
        AssertWebP(result, 1200, 480);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg, 1920, 1080)]
    [InlineData(SKEncodedImageFormat.Png, 100, 100)]
    [InlineData(SKEncodedImageFormat.Webp, 640, 1136)]
    public async Task A_thumbnail_becomes_640x360_in_WebP(SKEncodedImageFormat format, int width, int height)
    {
        var result = Assert.Single(await processor.ProcessAsync(Encode(format, width, height, Red), ImageKind.Thumbnail));
        Assert.Equal("640x360", result.Variant);
        AssertWebP(result, 640, 360);
    }

    [Fact]
    public async Task A_wide_avatar_is_center_cropped_not_squashed()
    {
        // 400x100: red | green (the middle 200) | blue. The centered 100x100 square is all green.
        var png = Encode(SKEncodedImageFormat.Png, 400, 100, Green, (SKRect.Create(0, 0, 100, 100), Red), (SKRect.Create(300, 0, 100, 100), Blue));

        var avatar = (await processor.ProcessAsync(png, ImageKind.Avatar))[0];

        foreach (var (x, y) in new[] { (2, 2), (297, 2), (2, 297), (297, 297), (150, 150) })
        {
            AssertNear(Green, PixelAt(avatar.Content, x, y));
        }
    }

    [Fact]
    public async Task A_tall_banner_source_keeps_its_middle_band()
    {
        // 1000x1000 with red above y=300 and below y=700: the centered 5:2 band (1000x400) is all green.
        var png = Encode(SKEncodedImageFormat.Png, 1000, 1000, Green, (SKRect.Create(0, 0, 1000, 300), Red), (SKRect.Create(0, 700, 1000, 300), Red));

        var banner = Assert.Single(await processor.ProcessAsync(png, ImageKind.Banner));

        foreach (var (x, y) in new[] { (3, 3), (1196, 3), (3, 476), (1196, 476), (600, 240) })
        {
            AssertNear(Green, PixelAt(banner.Content, x, y));
        }
    }

    [Fact]
    public async Task A_JPEG_is_turned_the_way_its_EXIF_orientation_says()
    {
        // Stored 400x200 with red on top, blue below; orientation 6 means "rotate 90° clockwise to view",
        // so the viewer sees 200x400 with blue on the left and red on the right.
        var stored = Encode(SKEncodedImageFormat.Jpeg, 400, 200, Blue, (SKRect.Create(0, 0, 400, 100), Red));
        var jpeg = WithExifOrientation(stored, 6);
        using (var codec = SKCodec.Create(new SKMemoryStream(jpeg)))
        {
            Assert.Equal(SKEncodedOrigin.RightTop, codec.EncodedOrigin);
        }

        var avatar = (await processor.ProcessAsync(jpeg, ImageKind.Avatar))[0];

        AssertNear(Blue, PixelAt(avatar.Content, 20, 150));
        AssertNear(Red, PixelAt(avatar.Content, 280, 150));
        AssertNear(Blue, PixelAt(avatar.Content, 20, 10));
        AssertNear(Red, PixelAt(avatar.Content, 280, 290));
    }

    [Theory]
    [InlineData(1, "RG/BY")]
    [InlineData(2, "GR/YB")] // mirrored left-right
    [InlineData(3, "YB/GR")] // turned 180°
    [InlineData(4, "BY/RG")] // mirrored top-bottom
    [InlineData(5, "RB/GY")] // transposed
    [InlineData(6, "BR/YG")] // turned 90° clockwise
    [InlineData(7, "YG/BR")] // transversed
    [InlineData(8, "GY/RB")] // turned 90° anticlockwise
    public async Task Every_EXIF_orientation_is_applied(ushort orientation, string expected)
    {
        // Stored 400x200 in quadrants red | green over blue | yellow; the avatar's corners show where each went.
        var stored = Encode(SKEncodedImageFormat.Jpeg, 400, 200, Red,
            (SKRect.Create(200, 0, 200, 100), Green), (SKRect.Create(0, 100, 200, 100), Blue), (SKRect.Create(200, 100, 200, 100), Yellow));

        var avatar = (await processor.ProcessAsync(WithExifOrientation(stored, orientation), ImageKind.Avatar))[0];

        var corners = new[] { (40, 40), (260, 40), (40, 260), (260, 260) }.Select(p => Name(PixelAt(avatar.Content, p.Item1, p.Item2)));
        var actual = string.Concat(corners.Take(2)) + "/" + string.Concat(corners.Skip(2));
        Assert.Equal(expected, actual);

        static char Name(SKColor c) =>
            new[] { ('R', Red), ('G', Green), ('B', Blue), ('Y', Yellow) }.MinBy(n => Math.Abs(n.Item2.Red - c.Red) + Math.Abs(n.Item2.Green - c.Green) + Math.Abs(n.Item2.Blue - c.Blue)).Item1;
    }

    [Fact]
    public async Task Metadata_is_stripped()
    {
        var jpeg = WithExifOrientation(Encode(SKEncodedImageFormat.Jpeg, 64, 64, Green), 1);
        Assert.Contains("Exif", System.Text.Encoding.Latin1.GetString(jpeg));

        foreach (var image in await processor.ProcessAsync(jpeg, ImageKind.Avatar))
        {
            var text = System.Text.Encoding.Latin1.GetString(image.Content);
            Assert.DoesNotContain("Exif", text);
            Assert.DoesNotContain("EXIF", text);
            Assert.DoesNotContain("XMP ", text);
        }
    }

    [Fact]
    public async Task A_GIF_gives_its_first_frame()
    {
        var gif = Gif(40, 30, Red, Blue);
        using (var codec = SKCodec.Create(new SKMemoryStream(gif)))
        {
            Assert.Equal(SKEncodedImageFormat.Gif, codec.EncodedFormat);
            Assert.Equal(2, codec.FrameCount);
        }

        var thumbnail = Assert.Single(await processor.ProcessAsync(gif, ImageKind.Thumbnail));

        AssertWebP(thumbnail, 640, 360);
        AssertNear(Red, PixelAt(thumbnail.Content, 320, 180));
    }

    [Fact]
    public async Task Transparency_survives()
    {
        var png = Encode(SKEncodedImageFormat.Png, 100, 100, SKColors.Transparent, (SKRect.Create(25, 25, 50, 50), Red));

        var avatar = (await processor.ProcessAsync(png, ImageKind.Avatar))[0];

        Assert.Equal(0, PixelAt(avatar.Content, 5, 5).Alpha);
        AssertNear(Red, PixelAt(avatar.Content, 150, 150));
    }

    [Fact]
    public async Task An_empty_file_is_refused()
    {
        var error = await Refused(Array.Empty<byte>());
        Assert.Contains("empty", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_file_over_the_upload_limit_is_refused_before_decoding()
    {
        var small = Processors.Create(new MediaOptions { MaxUploadBytes = 1000 });
        var png = NoisePng(100, 100);
        Assert.True(png.Length > 1000);

        var error = await Assert.ThrowsAsync<WgException>(() => small.ProcessAsync(png, ImageKind.Avatar));

        AssertBadFile(error);
        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
        Assert.Contains("1,000 bytes", error.Message, StringComparison.Ordinal);

        // The default is 8 MiB.
        var big = new byte[(8 * 1024 * 1024) + 1];
        Png(20, 20).CopyTo(big, 0);
        Assert.Contains("8 MiB", (await Refused(big)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_bytes_are_refused()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        Assert.Contains("not an image that can be read", (await Refused(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_file_is_refused()
    {
        var text = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\"><script>alert(1)</script></svg>"u8.ToArray();
        Assert.Contains("not an image that can be read", (await Refused(text)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.02)]
    public async Task A_truncated_PNG_is_refused(double keep)
    {
        var png = NoisePng(200, 200);
        var error = await Refused(png[..(int)(png.Length * keep)]);
        Assert.Matches("damaged|truncated", error.Message);
    }

    [Fact]
    public async Task A_truncated_JPEG_is_refused()
    {
        var jpeg = Encode(SKEncodedImageFormat.Jpeg, 600, 600, Green, (SKRect.Create(0, 0, 300, 300), Red));
        var error = await Refused(jpeg[..(jpeg.Length / 2)]);
        Assert.Matches("damaged|truncated", error.Message);
    }

    [Fact]
    public async Task A_BMP_is_refused_as_unsupported()
    {
        var bmp = Bmp(64, 64);
        using (var codec = SKCodec.Create(new SKMemoryStream(bmp)))
        {
            Assert.Equal(SKEncodedImageFormat.Bmp, codec.EncodedFormat); // Skia reads it; we choose not to.
        }

        var error = await Refused(bmp);
        Assert.Contains("BMP images are not accepted", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30000, 30000)] // 900 megapixels: 3.6 GB of RGBA
    [InlineData(8000, 8000)] // 64 megapixels: 256 MB, which Skia itself would happily allocate
    public async Task A_decompression_bomb_is_refused_from_its_header_without_allocating_the_pixels(int width, int height)
    {
        var bomb = ForgedPng(width, height);
        Assert.True(bomb.Length < 1000);
        await processor.ProcessAsync(Png(20, 20), ImageKind.Avatar); // warm up Skia and the JIT

        var peak = PeakMemory.Reset();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var error = await Refused(bomb);
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // The message quotes the header's size: the refusal came from the header check, not from a failed decode.
        Assert.Contains($"{width}x{height}", error.Message, StringComparison.Ordinal);
        Assert.Contains("too large", error.Message, StringComparison.Ordinal);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated:N0} managed bytes");
        if (peak is { } before)
        {
            // Native memory (Skia's pixels) too: the resident-set high-water mark barely moved.
            var grown = PeakMemory.Read() - before;
            Assert.True(grown < 64 * 1024 * 1024, $"peak resident memory grew by {grown:N0} bytes");
        }
    }

    [Fact]
    public async Task The_pixel_limit_is_configurable_and_counts_width_times_height()
    {
        var strict = Processors.Create(new MediaOptions { MaxPixels = 100 * 100 });
        Assert.Equal(2, (await strict.ProcessAsync(Png(100, 100), ImageKind.Avatar)).Count);

        var error = await Assert.ThrowsAsync<WgException>(() => strict.ProcessAsync(Png(101, 100), ImageKind.Avatar));
        AssertBadFile(error);
        Assert.Contains("101x100", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(15, 15)]
    [InlineData(100, 10)]
    [InlineData(15, 400)]
    public async Task An_image_smaller_than_16x16_is_refused(int width, int height)
    {
        var error = await Refused(Png(width, height));
        Assert.Contains($"too small ({width}x{height} pixels)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processor.ProcessAsync(Png(64, 64), ImageKind.Avatar, cancelled.Token));
    }

    private async Task<WgException> Refused(byte[] input)
    {
        var error = await Assert.ThrowsAsync<WgException>(() => processor.ProcessAsync(input, ImageKind.Avatar));
        AssertBadFile(error);
        return error;
    }

    private static void AssertBadFile(WgException error)
    {
        Assert.Equal(ErrorCodes.BadUserInput, error.Code);
        Assert.Equal("file", error.Field);
    }

    private static void AssertWebP(ProcessedImage image, int width, int height)
    {
        Assert.Equal("image/webp", image.ContentType);
        Assert.Equal((width, height), (image.Width, image.Height));
        using var codec = SKCodec.Create(new SKMemoryStream(image.Content));
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Webp, codec.EncodedFormat);
        Assert.Equal((width, height), (codec.Info.Width, codec.Info.Height));
        using var bitmap = SKBitmap.Decode(image.Content);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
    }

    /// <summary>The process's peak resident memory (Linux VmHWM), which writing 5 to /proc/self/clear_refs resets to the current size.</summary>
    private static class PeakMemory
    {
        public static long? Reset()
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
                return Read();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        public static long Read()
        {
            var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }
}
