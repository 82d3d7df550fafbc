namespace WgStream.GrainInterfaces.Common;

/// <summary>
/// A cluster-wide counter for one rate-limit key (for example <c>login:ip:203.0.113.7</c>), so that
/// limits hold however many Api nodes the requests arrive on.
/// </summary>
public interface IRateLimitGrain : IGrainWithStringKey
{
    /// <summary>Counts one attempt; returns when the caller may retry if the attempt is over the limit.</summary>
    Task<RateLimitDecision> AcquireAsync(RateLimitRule rule);

    /// <summary>Forgets the attempts counted so far (a successful login clears its failures).</summary>
    Task ResetAsync();
}

/// <summary>At most <see cref="Limit"/> attempts per <see cref="Window"/>. Settable so configuration can bind any part of it.</summary>
[GenerateSerializer, Immutable]
public sealed record RateLimitRule
{
    public RateLimitRule()
    {
    }

    public RateLimitRule(int limit, TimeSpan window)
    {
        Limit = limit;
        Window = window;
    }

    /// <summary>Attempts allowed per window.</summary>
    [Id(0)] public int Limit { get; init; }

    /// <summary>The window's length.</summary>
    [Id(1)] public TimeSpan Window { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record RateLimitDecision(bool Allowed, DateTimeOffset? RetryAt);
