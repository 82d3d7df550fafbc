namespace WgStream.Grains.Analytics;

/// <summary>Bound from the <c>Analytics</c> section: how live broadcasts are sampled and how long the samples are kept (docs/analytics.md).</summary>
public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>Whether live broadcasts are sampled at all (summaries and series stay readable when off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The time between two samples of a live broadcast. Samples fall on a grid aligned to the
    /// epoch (every minute on the minute by default), so all broadcasts' points line up and the
    /// operators' overview adds them per grid point. 1 s to 1 h.
    /// </summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many months of samples are kept (whole monthly partitions are dropped after that); 0 keeps them. Summaries are kept.</summary>
    public int RetentionMonths { get; set; } = 13;

    /// <summary>How long a silo's writer gathers samples before writing them in one statement (the broadcasts on a silo all sample at the same grid point).</summary>
    public TimeSpan WriteDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Samples written in one statement at most.</summary>
    public int WriteBatchSize { get; set; } = 1000;

    /// <summary>Samples a silo holds while the database is away at most; beyond that new ones are dropped (and counted in the log).</summary>
    public int QueueLimit { get; set; } = 100_000;

    /// <summary>How often a silo creates the coming months' partitions, drops expired ones and finalizes broadcasts whose end was not finalized.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long after a grid point the sampler collects the span that ended there: the room counts
    /// a message when its batch is stored, a few milliseconds after it was sent.
    /// </summary>
    internal TimeSpan CollectDelay => TimeSpan.FromTicks(Math.Clamp(SampleInterval.Ticks / 20, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(2).Ticks));

    /// <summary>The grid point at or before <paramref name="at"/>.</summary>
    internal DateTimeOffset GridPoint(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new DateTimeOffset(at.UtcTicks - (((ticks % SampleInterval.Ticks) + SampleInterval.Ticks) % SampleInterval.Ticks), TimeSpan.Zero);
    }

    internal IEnumerable<string> Problems()
    {
        if (SampleInterval < TimeSpan.FromSeconds(1) || SampleInterval > TimeSpan.FromHours(1))
        {
            yield return "Analytics:SampleInterval must be between 1 second and 1 hour.";
        }

        if (RetentionMonths < 0)
        {
            yield return "Analytics:RetentionMonths must be 0 (keep) or a number of months.";
        }

        if (WriteDelay < TimeSpan.Zero || WriteDelay > TimeSpan.FromSeconds(10))
        {
            yield return "Analytics:WriteDelay must be between 0 and 10 seconds.";
        }

        if (WriteBatchSize is < 1 or > 10_000)
        {
            yield return "Analytics:WriteBatchSize must be between 1 and 10000.";
        }

        if (QueueLimit < WriteBatchSize)
        {
            yield return "Analytics:QueueLimit must be at least Analytics:WriteBatchSize.";
        }

        if (MaintenanceInterval <= TimeSpan.Zero)
        {
            yield return "Analytics:MaintenanceInterval must be positive.";
        }
    }
}
