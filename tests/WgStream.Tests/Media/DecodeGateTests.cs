using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;
using static WgStream.Tests.Media.TestImages;

namespace WgStream.Tests.Media;

/// <summary>
/// The node's decode admission: at most <c>Media:MaxConcurrentDecodes</c> at once and
/// <c>Media:DecodeBudgetBytes</c> in flight; beyond that a decode waits its turn, and after
/// <c>Media:DecodeWaitTimeout</c> it is refused with <c>BUSY</c>. The tests shrink the limits to make
/// them reachable with a few leases; the shipped defaults are checked in
/// <see cref="The_defaults_are_the_documented_ones"/>.
/// </summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class DecodeGateTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var defaults = new DecodeGate(Options.Create(new MediaOptions()));
        Assert.Equal(256L * 1024 * 1024, defaults.BudgetBytes);
        Assert.Equal(Environment.ProcessorCount, defaults.MaxConcurrentDecodes);
        Assert.Equal(TimeSpan.FromSeconds(5), new MediaOptions().DecodeWaitTimeout);
    }

    [Fact]
    public async Task A_decode_beyond_the_concurrency_limit_waits_for_a_slot()
    {
        var gate = Gate(slots: 1, budget: 1_000_000, wait: Long);
        var first = await gate.EnterAsync(100);

        var second = gate.EnterAsync(100);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, gate.Waiting);
        Assert.Equal(1, gate.DecodesInFlight);

        first.Dispose();
        using var admitted = await second.WaitAsync(Long);
        Assert.Equal(0, gate.Waiting);
        Assert.Equal(1, gate.DecodesInFlight);
        Assert.Equal(100, gate.BytesInFlight);

        first.Dispose(); // a second dispose gives nothing back twice
        Assert.Equal(100, gate.BytesInFlight);
    }

    [Fact]
    public async Task A_decode_that_gets_no_room_in_time_is_refused_with_BUSY_and_a_retry_time()
    {
        var gate = Gate(slots: 1, budget: 1_000_000, wait: TimeSpan.FromMilliseconds(100));
        using var held = await gate.EnterAsync(100);

        var error = await Assert.ThrowsAsync<WgException>(() => gate.EnterAsync(100));

        Assert.Equal(ErrorCodes.Busy, error.Code);
        Assert.NotNull(error.RetryAt);
        Assert.True(error.RetryAt > DateTimeOffset.UtcNow);
        Assert.Equal(0, gate.Waiting); // the refused one left the queue
        Assert.Equal(100, gate.BytesInFlight);
    }

    [Fact]
    public async Task The_byte_budget_holds_and_waiters_are_admitted_in_order()
    {
        var gate = Gate(slots: 8, budget: 1000, wait: Long);
        var big = await gate.EnterAsync(600);

        var second = gate.EnterAsync(600); // does not fit beside the first
        var small = gate.EnterAsync(100); // would fit, but does not overtake the one waiting
        Assert.False(second.IsCompleted);
        Assert.False(small.IsCompleted);
        Assert.Equal(600, gate.BytesInFlight);

        big.Dispose();
        using var a = await second.WaitAsync(Long);
        using var b = await small.WaitAsync(Long);
        Assert.Equal(700, gate.BytesInFlight);
        Assert.Equal(2, gate.DecodesInFlight);
    }

    [Fact]
    public async Task An_image_bigger_than_the_whole_budget_runs_alone_rather_than_never()
    {
        var gate = Gate(slots: 8, budget: 1000, wait: Long);
        var other = await gate.EnterAsync(10);
        var huge = gate.EnterAsync(5000);
        Assert.False(huge.IsCompleted);

        other.Dispose();
        using var lease = await huge.WaitAsync(Long);
        Assert.Equal(1000, lease.Bytes);
        Assert.Equal(1000, gate.BytesInFlight);
    }

    [Fact]
    public async Task A_caller_that_gives_up_is_cancelled_not_refused_and_leaves_the_queue()
    {
        var gate = Gate(slots: 1, budget: 1000, wait: Long);
        using var held = await gate.EnterAsync(10);
        using var cancel = new CancellationTokenSource();

        var waiting = gate.EnterAsync(10, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, gate.Waiting);
        Assert.Equal(10, gate.BytesInFlight);
    }

    [Fact]
    public async Task The_processor_waits_for_the_gate_and_is_refused_with_BUSY_when_the_budget_stays_taken()
    {
        var processor = Processors.Create(new MediaOptions { DecodeBudgetBytes = 10_000_000, MaxConcurrentDecodes = 8, DecodeWaitTimeout = TimeSpan.FromMilliseconds(200) }, out var gate);
        var png = Png(1000, 1000); // about 5.7 MB charged: 4 MB of pixels, their mipmaps, two avatar surfaces

        using (await gate.EnterAsync(6_000_000))
        {
            var error = await Assert.ThrowsAsync<WgException>(() => processor.ProcessAsync(png, ImageKind.Avatar));
            Assert.Equal(ErrorCodes.Busy, error.Code);
        }

        Assert.Equal(2, (await processor.ProcessAsync(png, ImageKind.Avatar)).Count);
        Assert.Equal(0, gate.BytesInFlight);
    }

    [Fact]
    public async Task Decodes_beyond_the_limit_queue_and_all_complete_once_slots_free()
    {
        var processor = Processors.Create(new MediaOptions { MaxConcurrentDecodes = 1, DecodeWaitTimeout = Long }, out var gate);
        var held = await gate.EnterAsync(1);

        var uploads = Enumerable.Range(0, 3).Select(_ => processor.ProcessAsync(Png(200, 200), ImageKind.Avatar)).ToList();
        await WaitUntilAsync(() => gate.Waiting == 3);
        Assert.All(uploads, u => Assert.False(u.IsCompleted));

        held.Dispose();
        foreach (var upload in uploads)
        {
            Assert.Equal(2, (await upload.WaitAsync(Long)).Count);
        }

        Assert.Equal(0, gate.DecodesInFlight);
    }

    private static DecodeGate Gate(int slots, long budget, TimeSpan wait) =>
        new(Options.Create(new MediaOptions { MaxConcurrentDecodes = slots, DecodeBudgetBytes = budget, DecodeWaitTimeout = wait }));

    /// <summary>The processor reaches the gate on a pool thread, after reading the header.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached");
            await Task.Delay(10);
        }
    }
}
