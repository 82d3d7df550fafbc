using Microsoft.Extensions.Options;
using WgStream.Grains.Channels;

namespace WgStream.Tests.Channels;

[Trait(TestKind.Name, TestKind.Unit)]

public sealed class DirectoryReadCacheTests
{
    private readonly ManualClock clock = new();

    [Fact]
    public async Task Callers_within_the_duration_share_one_read_even_while_it_is_in_flight()
    {
        var cache = Cache();
        var reads = 0;
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<string> Read()
        {
            Interlocked.Increment(ref reads);
            return gate.Task;
        }

        var waiting = Enumerable.Range(0, 10).Select(_ => cache.GetOrReadAsync("live", Read)).ToList();
        gate.SetResult("page");
        Assert.All(await Task.WhenAll(waiting), page => Assert.Equal("page", page));
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal("page", await cache.GetOrReadAsync("live", Read));
        Assert.Equal(1, reads);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await cache.GetOrReadAsync("live", Read);
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task A_change_makes_the_next_caller_read_again_and_a_read_that_overlapped_it_is_not_kept()
    {
        var cache = Cache();
        var version = 0;
        Task<int> Read() => Task.FromResult(++version);

        Assert.Equal(1, await cache.GetOrReadAsync("live", Read));
        cache.Changed();
        Assert.Equal(2, await cache.GetOrReadAsync("live", Read));
        Assert.Equal(2, await cache.GetOrReadAsync("live", Read));

        // A read that started before a write and finished after it may have missed the write.
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var overlapping = cache.GetOrReadAsync("other", () => gate.Task);
        cache.Changed();
        gate.SetResult(-1);
        Assert.Equal(-1, await overlapping);
        Assert.Equal(3, await cache.GetOrReadAsync("other", Read));
    }

    [Fact]
    public async Task Different_keys_are_different_reads_and_a_failed_read_is_not_shared()
    {
        var cache = Cache();
        Assert.Equal("a", await cache.GetOrReadAsync("a", () => Task.FromResult("a")));
        Assert.Equal("b", await cache.GetOrReadAsync("b", () => Task.FromResult("b")));

        var failing = cache.GetOrReadAsync<string>("c", async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("PostgreSQL is away");
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("c", await cache.GetOrReadAsync("c", () => Task.FromResult("c")));
    }

    [Fact]
    public async Task It_keeps_at_most_the_configured_number_of_reads_and_makes_room_from_expired_ones()
    {
        var cache = Cache(sharedReads: 2);
        var reads = 0;
        Task<int> Read()
        {
            reads++;
            return Task.FromResult(reads);
        }

        await cache.GetOrReadAsync("a", Read);
        await cache.GetOrReadAsync("b", Read);
        await cache.GetOrReadAsync("c", Read);
        await cache.GetOrReadAsync("c", Read);
        Assert.Equal(4, reads); // "c" found no room: read each time, never kept
        await cache.GetOrReadAsync("a", Read);
        Assert.Equal(4, reads);

        clock.Advance(TimeSpan.FromSeconds(1));
        await cache.GetOrReadAsync("c", Read);
        await cache.GetOrReadAsync("c", Read);
        Assert.Equal(5, reads); // the expired ones made room
    }

    [Fact]
    public async Task A_zero_duration_reads_every_time()
    {
        var cache = Cache(duration: TimeSpan.Zero);
        var reads = 0;
        await cache.GetOrReadAsync("a", () => Task.FromResult(++reads));
        await cache.GetOrReadAsync("a", () => Task.FromResult(++reads));
        Assert.Equal(2, reads);
    }

    private DirectoryReadCache Cache(TimeSpan? duration = null, int sharedReads = 1024) =>
        new(Options.Create(new DirectoryOptions { SharedReadDuration = duration ?? TimeSpan.FromSeconds(1), SharedReads = sharedReads }), clock);

    private sealed class ManualClock : TimeProvider
    {
        private long ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }
}
