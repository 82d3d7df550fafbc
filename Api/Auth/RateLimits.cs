using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Auth;

/// <summary>Bound from the <c>RateLimits</c> section: attempts allowed per window, per kind of key.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public RateLimitRule LoginPerIp { get; set; } = new(30, TimeSpan.FromMinutes(5));

    public RateLimitRule LoginPerAccount { get; set; } = new(10, TimeSpan.FromMinutes(15));

    public RateLimitRule RegisterPerIp { get; set; } = new(10, TimeSpan.FromHours(1));

    public RateLimitRule EmailPerAccount { get; set; } = new(5, TimeSpan.FromHours(1));

    /// <summary>Follows and unfollows together, per account: a loop of them is spam for the channels on the other side.</summary>
    public RateLimitRule FollowPerAccount { get; set; } = new(60, TimeSpan.FromMinutes(10));

    /// <summary>Blocks and unblocks together, per account: each one is announced to every Api node.</summary>
    public RateLimitRule BlockPerAccount { get; set; } = new(60, TimeSpan.FromMinutes(10));

    /// <summary>
    /// Avatar, banner and thumbnail uploads, per account, counted before the body is read: each one costs a
    /// decode and a re-encode, and nobody changes their pictures 30 times in ten minutes by hand.
    /// </summary>
    public RateLimitRule UploadPerAccount { get; set; } = new(30, TimeSpan.FromMinutes(10));
}

/// <summary>Checks a key against its rule in the cluster-wide rate-limit grain; throws <c>RATE_LIMITED</c> with the retry time.</summary>
public sealed class RateLimiter(IGrainFactory grains)
{
    public async Task EnsureAllowedAsync(string key, RateLimitRule rule, string what)
    {
        var decision = await grains.GetGrain<IRateLimitGrain>(key).AcquireAsync(rule);
        if (!decision.Allowed)
        {
            var retryAt = decision.RetryAt ?? DateTimeOffset.UtcNow + rule.Window;
            var seconds = Math.Max(1, (int)Math.Ceiling((retryAt - DateTimeOffset.UtcNow).TotalSeconds));
            throw WgException.RateLimited($"Too many {what}; try again in {seconds} s.", retryAt);
        }
    }

    public Task ResetAsync(string key) => grains.GetGrain<IRateLimitGrain>(key).ResetAsync();
}
