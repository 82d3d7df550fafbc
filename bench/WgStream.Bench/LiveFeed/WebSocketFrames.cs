using System.Buffers.Binary;

namespace WgStream.Bench.LiveFeed;

/// <summary>RFC 6455 frame layout: opcodes, and the masked frames a client must send.</summary>
public static class WebSocketFrames
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>The largest header a client frame can have: 2 bytes, a 64-bit length, the mask key.</summary>
    public const int MaxClientHeader = 14;

    /// <summary>
    /// Writes one final, masked frame of <paramref name="opcode"/> into <paramref name="destination"/>
    /// (at least <see cref="MaxClientHeader"/> + payload long) and returns its length.
    /// </summary>
    public static int WriteMasked(Span<byte> destination, byte opcode, ReadOnlySpan<byte> payload)
    {
        destination[0] = (byte)(0x80 | opcode);
        int header;
        if (payload.Length < 126)
        {
            destination[1] = (byte)(0x80 | payload.Length);
            header = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            destination[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payload.Length);
            header = 4;
        }
        else
        {
            destination[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payload.Length);
            header = 10;
        }

        // The mask only has to be unpredictable to defeat proxy cache poisoning, which does not
        // apply on loopback; a shared random source is plenty.
        Span<byte> mask = destination.Slice(header, 4);
        Random.Shared.NextBytes(mask);
        var body = destination.Slice(header + 4, payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            body[i] = (byte)(payload[i] ^ mask[i & 3]);
        }

        return header + 4 + payload.Length;
    }
}
