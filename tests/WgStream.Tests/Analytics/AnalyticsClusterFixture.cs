using System.Globalization;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Analytics;

/// <summary>
/// A cluster that samples live broadcasts every <see cref="Interval"/> instead of every minute, so a
/// test sees several samples in seconds. The shipped 60 s interval is covered by
/// <see cref="ShortBroadcastGrainTests"/> on the default cluster.
/// </summary>
public class AnalyticsClusterFixture : ClusterFixture
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Analytics:SampleInterval"] = Interval.ToString("c", CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Two silos, the 5 s interval, and the shipped failure detection (1 s probes, dead after 3 missed,
/// one vote: what UseWgStreamClustering configures in production), so one silo can be killed.
/// </summary>
public sealed class AnalyticsTwoSiloFixture : AnalyticsClusterFixture
{
    protected override short InitialSilos => 2;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Analytics:SampleInterval"] = Interval.ToString("c", CultureInfo.InvariantCulture),
        ["Cluster:Membership:ProbeTimeout"] = "00:00:01",
        ["Cluster:Membership:NumMissedProbesLimit"] = "3",
        ["Cluster:Membership:NumVotesForDeathDeclaration"] = "1",
    };
}

[CollectionDefinition(Name)]
public sealed class AnalyticsClusterCollection : ICollectionFixture<AnalyticsClusterFixture>
{
    public const string Name = "AnalyticsCluster";
}

[CollectionDefinition(Name)]
public sealed class AnalyticsTwoSiloCollection : ICollectionFixture<AnalyticsTwoSiloFixture>
{
    public const string Name = "AnalyticsTwoSilos";
}
