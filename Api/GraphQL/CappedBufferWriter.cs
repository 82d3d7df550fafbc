using System.Buffers;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Pooled memory that a serializer writes into, up to a limit: asked for more, it throws
/// <see cref="ResponseTooLargeException"/>, so an answer over <see cref="GraphQLOptions.MaxResponseBytes"/>
/// never takes more than that to find out. Return the memory with <see cref="Dispose"/>.
/// </summary>
public sealed class CappedBufferWriter(int maxBytes) : IBufferWriter<byte>, IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes, 4096));
    private int written;

    public ReadOnlyMemory<byte> WrittenMemory => buffer.AsMemory(0, written);

    public void Advance(int count) => written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsMemory(written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsSpan(written);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private void Ensure(int sizeHint)
    {
        var needed = written + Math.Max(sizeHint, 1);
        if (needed <= buffer.Length)
        {
            return;
        }

        if (needed > maxBytes)
        {
            throw new ResponseTooLargeException();
        }

        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes, Math.Max((long)buffer.Length * 2, needed)));
        buffer.AsSpan(0, written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }
}

/// <summary>An answer grew past <see cref="GraphQLOptions.MaxResponseBytes"/> while being written.</summary>
public sealed class ResponseTooLargeException() : Exception("The answer is larger than a response may be.");
