namespace WgStream.Bench.LiveFeed;

/// <summary>
/// Hands out fixed-size receive buffers cut from large shared arrays: thousands of connections
/// cost a few large objects rather than thousands of small ones for the GC to walk.
/// </summary>
public sealed class ReceiveBufferPool(int bufferSize)
{
    private const int BuffersPerSlab = 256;
    private readonly Lock gate = new();
    private byte[] slab = [];
    private int next = BuffersPerSlab;

    public int BufferSize { get; } = bufferSize;

    public Memory<byte> Take()
    {
        lock (gate)
        {
            if (next == BuffersPerSlab)
            {
                slab = GC.AllocateUninitializedArray<byte>(BuffersPerSlab * BufferSize);
                next = 0;
            }

            return slab.AsMemory(next++ * BufferSize, BufferSize);
        }
    }
}
