using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;
using WgStream.Grains.Accounts;
using WgStream.Grains.Analytics;
using WgStream.Grains.Channels;
using WgStream.Grains.Chat;
using WgStream.Grains.Clips;
using WgStream.Grains;
using WgStream.Grains.Infrastructure;
using WgStream.Grains.Infrastructure.Database;
using WgStream.Grains.Notifications;
using WgStream.Grains.Sponsorship;
using WgStream.Grains.Streams;
using WgStream.Grains.Videos;

namespace WgStream.Hosting;

/// <summary>The one composition root for silos: the standalone Silo, the co-hosting Api and test clusters.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Clustering (localhost or Redis), endpoints and identity.</summary>
    public static ISiloBuilder UseWgStreamClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new();
        if (options.UseRedis)
        {
            silo.UseRedisClustering(options.Redis);
            silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedIp), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
        }
        else
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
        }

        silo.Configure<ClusterOptions>(c =>
        {
            c.ClusterId = options.ClusterId;
            c.ServiceId = options.ServiceId;
        });
        // Failure detection. Orleans' defaults (a 5 s probe timeout, 3 missed probes, 2 votes) took
        // 30 s to declare a killed silo dead, and chat on its rooms stopped for that long (issue 15).
        // Probes every second, dead after 3 missed ones, and one vote (after Orleans' indirect probe
        // through a third silo, where there is one) bring that under 5 s; a silo that is itself
        // starved does not vote (Orleans' local health check). Configuration still overrides each,
        // e.g. WG_Cluster__Membership__ProbeTimeout=00:00:02.
        silo.Configure<ClusterMembershipOptions>(m =>
        {
            m.ProbeTimeout = TimeSpan.FromSeconds(1);
            m.NumMissedProbesLimit = 3;
            m.NumVotesForDeathDeclaration = 1;
        });
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection($"{OrleansHostOptions.Section}:Membership"));
        return silo;
    }

    /// <summary>
    /// Orleans' own parts (grain storage, reminders and streams in PostgreSQL and memory, the
    /// dashboard), then the features: each registers its services, background work and silo start-up
    /// tasks in <c>Grains/&lt;Feature&gt;/&lt;Feature&gt;Module.cs</c>.
    /// </summary>
    public static ISiloBuilder AddWgStreamGrains(this ISiloBuilder silo, IConfiguration configuration) =>
        silo.AddOrleansRuntime(configuration)
            .AddInfrastructure(configuration)
            .AddAccounts(configuration)
            .AddChannels(configuration)
            .AddChat(configuration)
            .AddStreams(configuration)
            .AddVideos(configuration)
            .AddClips(configuration)
            .AddSponsorship(configuration)
            .AddAnalytics(configuration)
            .AddNotifications(configuration);

    private static ISiloBuilder AddOrleansRuntime(this ISiloBuilder silo, IConfiguration configuration)
    {
        // One connection string, so grain state and reminders share one bounded Npgsql pool (the
        // features' NpgsqlDataSource is the node's other one).
        var connectionString = (configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new()).PooledConnectionString();
        silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(StorageNames.PubSub, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        // Durable reminders (sponsorship expiry); the table and queries are migration 0010.
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        // Chat latency is bounded below by how often pulling agents poll their queues (100 ms by
        // default); new subscriptions start at the next message rather than replaying the cache,
        // and clients de-duplicate the join-time overlap by sequence number.
        // A failed queue read (its grain was on a silo that died) is retried within 100 ms rather
        // than Orleans' 10 s (StreamQueueReaderBackoff).
        silo.AddMemoryStreams(GrainInterfaces.Common.StreamNames.Provider, streams =>
        {
            streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(10);
                o.InitialSubscriptionStartPosition = Orleans.Streams.StreamSubscriptionStartPosition.Latest;
            }));
            streams.ConfigureBackoffProvider((_, _) => new StreamQueueReaderBackoff());
        });
        // Grain and silo statistics for the Orleans dashboard, which the Api serves to admins.
        silo.AddDashboard();
        silo.Services.AddGrainInterfaceTypeCache();
        return silo;
    }
}
