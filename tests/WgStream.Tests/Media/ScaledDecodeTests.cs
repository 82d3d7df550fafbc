using SkiaSharp;
using WgStream.Grains.Infrastructure.Media;
using static WgStream.Tests.Media.TestImages;

namespace WgStream.Tests.Media;

/// <summary>
/// Big-but-allowed images are decoded no larger than the largest target needs, where the codec can
/// (JPEG in eighths, WebP to any size), and charged to the decode budget for what they do allocate.
/// </summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class ScaledDecodeTests
{
    private readonly ImageProcessor processor;
    private readonly DecodeGate gate;

    public ScaledDecodeTests() => processor = Processors.Create(null, out gate);

    [Fact]
    public async Task A_24_megapixel_JPEG_is_decoded_at_a_quarter_and_still_center_cropped()
    {
        // 6000x4000: red bands above y=300 and below y=3700 fall outside the centered 16:9 band
        // (6000x3375 from y=312); blue on the left third of it, green on the rest.
        var jpeg = Encode(SKEncodedImageFormat.Jpeg, 6000, 4000, Green,
            (SKRect.Create(0, 0, 6000, 300), Red), (SKRect.Create(0, 3700, 6000, 300), Red), (SKRect.Create(0, 300, 2000, 3400), Blue));

        var result = await processor.ProcessDetailedAsync(jpeg, ImageKind.ChannelThumbnail);

        // 1280/6000 = 0.21 of the width is needed; libjpeg-turbo scales in eighths, 2/8 is the first that covers:
        // 1500x1000 (1500x844 once cropped to 16:9, over 1280x720), 6 MB of pixels where full size is 96 MB.
        Assert.Equal(new SKSizeI(1500, 1000), result.Decoded);
        Assert.Equal(((1500L * 1000 * 4) * 4 / 3) + (1280 * 720 * 4), result.ChargedBytes);
        var thumbnail = Assert.Single(result.Images);
        Assert.Equal((1280, 720), (thumbnail.Width, thumbnail.Height));
        AssertNear(Blue, PixelAt(thumbnail.Content, 100, 360));
        AssertNear(Green, PixelAt(thumbnail.Content, 1200, 360));
        foreach (var (x, y) in new[] { (3, 3), (1276, 3), (3, 716), (1276, 716) })
        {
            Assert.NotEqual('R', Name(PixelAt(thumbnail.Content, x, y)));
        }

        Assert.Equal(0, gate.BytesInFlight); // given back
        Assert.Equal(0, gate.DecodesInFlight);
    }

    [Fact]
    public async Task A_sideways_phone_photo_is_decoded_small_and_still_turned_upright()
    {
        // Stored 6000x4000 in quadrants red | green over blue | yellow, EXIF 6 ("turn 90° clockwise"):
        // upright it is 4000x6000 and the avatar (its centered square) shows blue-red over yellow-green.
        var stored = Encode(SKEncodedImageFormat.Jpeg, 6000, 4000, Red,
            (SKRect.Create(3000, 0, 3000, 2000), Green), (SKRect.Create(0, 2000, 3000, 2000), Blue), (SKRect.Create(3000, 2000, 3000, 2000), Yellow));

        var result = await processor.ProcessDetailedAsync(WithExifOrientation(stored, 6), ImageKind.Avatar);

        // The 300x300 avatar needs 300 of the 4000 upright columns: 1/8 gives 750x500 stored, 500x750 upright.
        Assert.Equal(new SKSizeI(750, 500), result.Decoded);
        var avatar = result.Images[0];
        var corners = new[] { (40, 40), (260, 40), (40, 260), (260, 260) }.Select(p => Name(PixelAt(avatar.Content, p.Item1, p.Item2)));
        Assert.Equal("BRYG", string.Concat(corners));
    }

    [Fact]
    public async Task A_WebP_is_decoded_at_exactly_what_the_largest_target_needs()
    {
        var webp = Encode(SKEncodedImageFormat.Webp, 3000, 2000, Green);

        var result = await processor.ProcessDetailedAsync(webp, ImageKind.ChannelThumbnail);

        // libwebp scales to any size: 1280 wide, and 853 high covers the 720 of the crop.
        Assert.Equal(new SKSizeI(1280, 853), result.Decoded);
        Assert.Equal((1280, 720), (result.Images[0].Width, result.Images[0].Height));
    }

    [Fact]
    public async Task A_big_PNG_cannot_be_decoded_smaller_so_its_full_size_is_charged_and_fits_the_default_budget()
    {
        var png = Encode(SKEncodedImageFormat.Png, 6000, 4000, Green, (SKRect.Create(0, 0, 1500, 4000), Blue));

        var result = await processor.ProcessDetailedAsync(png, ImageKind.ChannelThumbnail);

        Assert.Equal(new SKSizeI(6000, 4000), result.Decoded);
        Assert.Equal(((6000L * 4000 * 4) * 4 / 3) + (1280 * 720 * 4), result.ChargedBytes);

        // 128 MB of the 256 MiB default: two of these at once, not five.
        Assert.Equal(256L * 1024 * 1024, gate.BudgetBytes);
        Assert.True(result.ChargedBytes * 2 <= gate.BudgetBytes);
        AssertNear(Blue, PixelAt(result.Images[0].Content, 20, 360));
        AssertNear(Green, PixelAt(result.Images[0].Content, 1260, 360));
    }

    [Fact]
    public async Task A_small_image_is_decoded_at_full_size()
    {
        var result = await processor.ProcessDetailedAsync(Encode(SKEncodedImageFormat.Jpeg, 1024, 768, Green), ImageKind.ChannelThumbnail);
        Assert.Equal(new SKSizeI(1024, 768), result.Decoded); // already smaller than 1280x720 once cropped: nothing to save
    }

    private static char Name(SKColor c) =>
        new[] { ('R', Red), ('G', Green), ('B', Blue), ('Y', Yellow) }.MinBy(n => Math.Abs(n.Item2.Red - c.Red) + Math.Abs(n.Item2.Green - c.Green) + Math.Abs(n.Item2.Blue - c.Blue)).Item1;
}
