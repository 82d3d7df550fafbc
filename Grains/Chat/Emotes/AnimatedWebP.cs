using System.Buffers.Binary;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>
/// The frame list of an animated WebP file (RIFF <c>ANMF</c> chunks: offset, size, a 24-bit
/// duration in milliseconds, flags, then the frame's image), read and, for its last frame, corrected.
/// </summary>
internal static class AnimatedWebP
{
    private const int ChunkHeader = 8;

    /// <summary>Where the duration sits in an ANMF payload: after X, Y, width−1 and height−1 (24 bits each).</summary>
    private const int DurationOffset = 12;

    /// <summary>Each frame's duration in milliseconds; empty when the file is not an animated WebP.</summary>
    public static IReadOnlyList<int> Durations(ReadOnlySpan<byte> webp)
    {
        var durations = new List<int>();
        foreach (var payload in FramePayloads(webp))
        {
            durations.Add(ReadUInt24(webp[(payload + DurationOffset)..]));
        }

        return durations;
    }

    /// <summary>
    /// Makes the frames add up to <paramref name="totalMilliseconds"/> by setting the last one's duration.
    /// ffmpeg 5.1's libwebp_anim cannot know how long the last frame lasts and gives it the average
    /// of the others; the encoder may also merge identical frames at the end, so the last frame's
    /// length is what the loop has left after the ones before it.
    /// </summary>
    public static void SetLoopDuration(Span<byte> webp, int totalMilliseconds)
    {
        var payloads = FramePayloads(webp);
        if (payloads.Count == 0)
        {
            return;
        }

        var before = 0;
        for (var i = 0; i < payloads.Count - 1; i++)
        {
            before += ReadUInt24(webp[(payloads[i] + DurationOffset)..]);
        }

        var last = totalMilliseconds - before;
        if (last is >= 1 and <= 0xFFFFFF)
        {
            var at = webp[(payloads[^1] + DurationOffset)..];
            at[0] = (byte)last;
            at[1] = (byte)(last >> 8);
            at[2] = (byte)(last >> 16);
        }
    }

    /// <summary>The offsets of the ANMF payloads, each checked to hold at least its fixed header.</summary>
    private static List<int> FramePayloads(ReadOnlySpan<byte> webp)
    {
        var payloads = new List<int>();
        if (webp.Length < 12 || !webp[..4].SequenceEqual("RIFF"u8) || !webp[8..12].SequenceEqual("WEBP"u8))
        {
            return payloads;
        }

        var position = 12;
        while (position + ChunkHeader <= webp.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp[(position + 4)..]);
            var payload = position + ChunkHeader;
            if (size > (uint)(webp.Length - payload))
            {
                break;
            }

            if (webp.Slice(position, 4).SequenceEqual("ANMF"u8) && size >= 16)
            {
                payloads.Add(payload);
            }

            // Chunks are padded to an even size.
            position = payload + (int)size + (int)(size & 1);
        }

        return payloads;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);
}
