using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Common;

/// <summary>
/// A sliding-window log of recent attempts for one key, held in memory only: losing the counts on a
/// silo restart errs towards letting users in, which is the right side for a rate limit to fail on.
/// </summary>
public sealed class RateLimitGrain(TimeProvider clock) : Grain, IRateLimitGrain
{
    private readonly Queue<DateTimeOffset> attempts = new();

    public Task<RateLimitDecision> AcquireAsync(RateLimitRule rule)
    {
        var now = clock.GetUtcNow();
        while (attempts.Count > 0 && attempts.Peek() <= now - rule.Window)
        {
            attempts.Dequeue();
        }

        if (attempts.Count >= rule.Limit)
        {
            var oldest = attempts.Count > 0 ? attempts.Peek() : now;
            return Task.FromResult(new RateLimitDecision(false, oldest + rule.Window));
        }

        attempts.Enqueue(now);
        return Task.FromResult(new RateLimitDecision(true, null));
    }

    public Task ResetAsync()
    {
        attempts.Clear();
        return Task.CompletedTask;
    }
}
