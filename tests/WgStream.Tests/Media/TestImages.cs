using System.Buffers.Binary;
using SkiaSharp;

namespace WgStream.Tests.Media;

/// <summary>Real image files made in the test with SkiaSharp, or assembled byte by byte where Skia has no encoder.</summary>
internal static class TestImages
{
    public static readonly SKColor Red = new(220, 20, 20);
    public static readonly SKColor Green = new(20, 200, 20);
    public static readonly SKColor Blue = new(20, 20, 220);
    public static readonly SKColor Yellow = new(230, 220, 20);

    /// <summary>An image filled with <paramref name="background"/> and the given rectangles painted over it.</summary>
    public static byte[] Encode(SKEncodedImageFormat format, int width, int height, SKColor background, params (SKRect Rect, SKColor Color)[] rects)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(background);
            foreach (var (rect, color) in rects)
            {
                using var paint = new SKPaint { Color = color };
                canvas.DrawRect(rect, paint);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90) ?? throw new InvalidOperationException($"Skia cannot encode {format}.");
        return data.ToArray();
    }

    public static byte[] Png(int width, int height, SKColor? color = null) => Encode(SKEncodedImageFormat.Png, width, height, color ?? Green);

    /// <summary>Random pixels, so the PNG's compressed data is about as large as the pixels (for truncation).</summary>
    public static byte[] NoisePng(int width, int height)
    {
        var random = new Random(42);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[width * height * 4];
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A valid small PNG whose IHDR then claims <paramref name="width"/>×<paramref name="height"/>, with a correct CRC: a decompression bomb's header.</summary>
    public static byte[] ForgedPng(int width, int height)
    {
        var png = Png(32, 32);

        // Signature (8), IHDR length (4), "IHDR" (4), width (4) at 16, height (4) at 20, …, CRC over type+data at 29.
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(29)), Crc32(png.AsSpan(12, 17))); // our CRC is PNG's CRC
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>
    /// A GIF (Skia has no GIF encoder) with one frame per colour: 128-colour palette, LZW with 8-bit codes
    /// and a clear code every 100 pixels so the code width never grows — valid, if uncompressed.
    /// </summary>
    public static byte[] Gif(int width, int height, params SKColor[] frames)
    {
        var gif = new List<byte>();
        gif.AddRange("GIF89a"u8.ToArray());
        AddUInt16(gif, width);
        AddUInt16(gif, height);
        gif.AddRange([0xF6, 0, 0]); // global colour table of 2^(6+1) = 128 entries
        for (var i = 0; i < 128; i++)
        {
            var color = i < frames.Length ? frames[i] : SKColors.Black;
            gif.AddRange([color.Red, color.Green, color.Blue]);
        }

        for (var frame = 0; frame < frames.Length; frame++)
        {
            gif.AddRange([0x21, 0xF9, 4, 0, 10, 0, 0, 0]); // graphic control: 0.1 s per frame
            gif.Add(0x2C);
            AddUInt16(gif, 0);
            AddUInt16(gif, 0);
            AddUInt16(gif, width);
            AddUInt16(gif, height);
            gif.Add(0);
            gif.Add(7); // LZW minimum code size: clear = 128, end = 129, codes 8 bits wide

            var codes = new List<byte>();
            for (var pixel = 0; pixel < width * height; pixel++)
            {
                if (pixel % 100 == 0)
                {
                    codes.Add(128);
                }

                codes.Add((byte)frame);
            }

            codes.Add(129);
            foreach (var block in codes.Chunk(255))
            {
                gif.Add((byte)block.Length);
                gif.AddRange(block);
            }

            gif.Add(0);
        }

        gif.Add(0x3B);
        return [.. gif];
    }

    /// <summary>A 24-bit BMP, which Skia decodes but the platform does not accept.</summary>
    public static byte[] Bmp(int width, int height)
    {
        var rowSize = ((width * 3) + 3) & ~3;
        var bmp = new byte[54 + (rowSize * height)];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), rowSize * height);
        bmp.AsSpan(54).Fill(0x80);
        return bmp;
    }

    /// <summary>Puts an EXIF APP1 segment carrying only an Orientation tag right after the JPEG's SOI marker.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        Assert.True(jpeg[0] == 0xFF && jpeg[1] == 0xD8, "not a JPEG");
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, // Orientation, SHORT, 1 value
            0, 0, 0, 0, // no next IFD
        ];
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + payload.Length));
        payload.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    public static SKColor PixelAt(byte[] encoded, int x, int y)
    {
        using var bitmap = SKBitmap.Decode(encoded) ?? throw new InvalidOperationException("Output does not decode.");
        return bitmap.GetPixel(x, y);
    }

    public static void AssertNear(SKColor expected, SKColor actual, int tolerance = 40)
    {
        var distance = Math.Max(Math.Abs(expected.Red - actual.Red), Math.Max(Math.Abs(expected.Green - actual.Green), Math.Abs(expected.Blue - actual.Blue)));
        Assert.True(distance <= tolerance, $"Expected about {expected}, got {actual}.");
    }

    private static void AddUInt16(List<byte> bytes, int value)
    {
        bytes.Add((byte)value);
        bytes.Add((byte)(value >> 8));
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
