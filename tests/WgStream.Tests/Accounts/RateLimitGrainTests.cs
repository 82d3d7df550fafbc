using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Accounts;

[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class RateLimitGrainTests(ClusterFixture fixture)
{
    private IRateLimitGrain NewKey() => fixture.GrainFactory.GetGrain<IRateLimitGrain>($"test:{Guid.NewGuid():N}");

    [Fact]
    public async Task Allows_the_limit_then_refuses_until_the_oldest_attempt_leaves_the_window()
    {
        var limiter = NewKey();
        var rule = new RateLimitRule(3, TimeSpan.FromMinutes(10));

        var beforeFirst = DateTimeOffset.UtcNow;
        var first = await limiter.AcquireAsync(rule);
        var afterFirst = DateTimeOffset.UtcNow;
        Assert.Equal(new RateLimitDecision(true, null), first);
        Assert.True((await limiter.AcquireAsync(rule)).Allowed);
        Assert.True((await limiter.AcquireAsync(rule)).Allowed);

        for (var i = 0; i < 2; i++)
        {
            var refused = await limiter.AcquireAsync(rule);
            Assert.False(refused.Allowed);
            Assert.NotNull(refused.RetryAt);
            // RetryAt is the first (oldest) attempt plus the window, not "now" plus the window.
            Assert.InRange(refused.RetryAt.Value, beforeFirst + rule.Window, afterFirst + rule.Window);
        }
    }

    [Fact]
    public async Task Refused_attempts_do_not_count_and_the_window_slides()
    {
        var limiter = NewKey();
        var rule = new RateLimitRule(2, TimeSpan.FromMilliseconds(600));

        Assert.True((await limiter.AcquireAsync(rule)).Allowed);
        Assert.True((await limiter.AcquireAsync(rule)).Allowed);
        var secondCountedBy = DateTimeOffset.UtcNow;
        var refused = await limiter.AcquireAsync(rule);
        Assert.False(refused.Allowed);
        Assert.False((await limiter.AcquireAsync(rule)).Allowed);

        Assert.True(refused.RetryAt!.Value - DateTimeOffset.UtcNow <= rule.Window, $"RetryAt {refused.RetryAt} is beyond the window.");
        // RetryAt is when the oldest attempt leaves; wait until the second has left too (on a loaded
        // machine the two can be far more than a few milliseconds apart).
        var wait = secondCountedBy + rule.Window - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        // Both counted attempts have left the window; the refused ones never entered it.
        Assert.True((await limiter.AcquireAsync(rule)).Allowed);
        Assert.True((await limiter.AcquireAsync(rule)).Allowed);
        Assert.False((await limiter.AcquireAsync(rule)).Allowed);
    }

    [Fact]
    public async Task Reset_forgets_the_attempts()
    {
        var limiter = NewKey();
        var rule = new RateLimitRule(2, TimeSpan.FromMinutes(10));
        await limiter.AcquireAsync(rule);
        await limiter.AcquireAsync(rule);
        Assert.False((await limiter.AcquireAsync(rule)).Allowed);

        await limiter.ResetAsync();

        Assert.True((await limiter.AcquireAsync(rule)).Allowed);
        Assert.True((await limiter.AcquireAsync(rule)).Allowed);
        Assert.False((await limiter.AcquireAsync(rule)).Allowed);
    }

    [Fact]
    public async Task Keys_are_counted_separately()
    {
        var rule = new RateLimitRule(1, TimeSpan.FromMinutes(10));
        var a = NewKey();
        var b = NewKey();

        Assert.True((await a.AcquireAsync(rule)).Allowed);
        Assert.False((await a.AcquireAsync(rule)).Allowed);

        Assert.True((await b.AcquireAsync(rule)).Allowed);
    }
}
