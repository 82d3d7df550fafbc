namespace WgStream.GrainInterfaces.Analytics;

/// <summary>
/// The bounds of the analytics reads and the meaning of a late heartbeat: the reader grain enforces
/// them and the GraphQL schema states them, so both read them here.
/// </summary>
public static class AnalyticsLimits
{
    /// <summary>The most samples a series returns; a longer one is thinned by merging neighbours.</summary>
    public const int MaxSeriesPoints = 2000;

    /// <summary>The most days an overview covers.</summary>
    public const int MaxOverviewDays = 400;

    /// <summary>nginx-rtmp sends on_update every 10 s: a sample that finds none for twice that counts as a late heartbeat.</summary>
    public const int LateHeartbeatMs = 20_000;
}
