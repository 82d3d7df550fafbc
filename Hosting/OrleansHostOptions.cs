namespace WgStream.Hosting;

/// <summary>Bound from the <c>Orleans</c> section (environment: <c>WG_Cluster__Clustering=Redis</c> and so on).</summary>
public sealed class OrleansHostOptions
{
    public const string Section = "Cluster";

    /// <summary>Orleans cluster id: silos and clients with the same id (and membership store) form one cluster.</summary>
    public string ClusterId { get; set; } = "wg-dev";

    /// <summary>Orleans service id: stays the same across deployments, keys persisted grain state and reminders.</summary>
    public string ServiceId { get; set; } = "wg-stream";

    /// <summary><c>Localhost</c> (one machine, the default) or <c>Redis</c> (many silos).</summary>
    public string Clustering { get; set; } = "Localhost";

    /// <summary>StackExchange.Redis configuration string, used when <see cref="Clustering"/> is <c>Redis</c>.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Port silos talk to each other on.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port cluster clients (Api nodes in <c>Client</c> mode) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one on (Redis clustering); loopback by default.</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>For the Api: <c>CoHosted</c> runs a silo in the Api process (one machine); <c>Client</c> joins the cluster as an Orleans client.</summary>
    public string ApiMode { get; set; } = "CoHosted";

    public bool ApiIsClient => string.Equals(ApiMode, "Client", StringComparison.OrdinalIgnoreCase);

    public bool UseRedis => string.Equals(Clustering, "Redis", StringComparison.OrdinalIgnoreCase);
}
