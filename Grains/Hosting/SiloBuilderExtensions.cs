using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WgStream.Grains.Infrastructure.Telemetry;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using WgStream.Grains.Accounts;
using WgStream.Grains.Analytics;
using WgStream.Grains.Channels;
using WgStream.Grains.Chat;
using WgStream.Grains.Chat.AutoMod;
using WgStream.Grains.Chat.Emotes;
using WgStream.Grains.Infrastructure.Database;
using WgStream.Grains.Infrastructure.Mail;
using WgStream.Grains.Infrastructure.Secrets;
using WgStream.Grains.Streams;
using WgStream.Grains.Clips;
using WgStream.Grains.Videos;
using WgStream.Grains.Notifications;
using WgStream.Grains.Sponsorship;

namespace WgStream.Grains.Hosting;

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

    /// <summary>Grain storage in PostgreSQL, streams, and the services grains depend on.</summary>
    public static ISiloBuilder AddWgStreamGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = database.ConnectionString;
        });
        silo.AddAdoNetGrainStorage(StorageNames.PubSub, o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = database.ConnectionString;
        });
        // Durable reminders (sponsorship expiry); the table and queries are migration 0010.
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = database.ConnectionString;
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
        silo.Services.AddWgStreamGrainServices(configuration);
        silo.Services.AddGrainInterfaceTypeCache();
        silo.AddStartupTask(StreamRecovery.RunAsync);
        silo.Services.AddHostedService<StreamReconciliationService>();
        silo.Services.AddSingleton<SiteBanWatcher>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<SiteBanWatcher>());
        silo.AddStartupTask((sp, ct) => sp.GetRequiredService<SiteBanWatcher>().SiloActiveAsync(ct));
        silo.Services.AddSingleton<EmoteWatcher>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<EmoteWatcher>());
        silo.AddStartupTask((sp, ct) => sp.GetRequiredService<EmoteWatcher>().SiloActiveAsync(ct));
        silo.Services.AddWgStreamVideoSweep();
        silo.Services.AddWgStreamAnalyticsMaintenance();
        return silo;
    }

    public static IServiceCollection AddWgStreamGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.Section));
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section));
        services.AddSingleton(sp =>
        {
            var connectionString = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()?.ConnectionString
                ?? new DatabaseOptions().ConnectionString;
            return NpgsqlDataSource.Create(connectionString);
        });
        services.AddSingleton<SchemaMigrator>();
        services.TryAddWgMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AccountRegistry>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<AccountMail>();
        services.AddSingleton<AccountErasureStore>();
        services.AddSingleton<UserBlockStore>();
        services.AddAdminOptions(configuration);
        services.AddOptions<SiteBanOptions>().Bind(configuration.GetSection(SiteBanOptions.Section));
        services.AddSingleton<SiteBanStore>();
        services.AddSingleton<SiteBannedUsers>();
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.Section));
        services.AddSingleton<DirectoryReadCache>();
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<ChannelListingStore>();
        services.AddSingleton<CategoryStore>();
        services.AddOptions<ChatOptions>().Bind(configuration.GetSection(ChatOptions.Section));
        services.AddSingleton<ChatMessageStore>();
        services.AddSingleton<ModerationLogStore>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<HeldMessageStore>();
        services.AddSingleton<AutoModLexicon>();
        services.AddWgStreamEmotes(configuration);
        services.AddWgStreamStreams(configuration);
        services.AddWgStreamVideos(configuration);
        services.AddWgStreamClips(configuration);
        // Stream keys and TOTP secrets, under Streams:KeyEncryptionKey (bound by AddWgStreamStreams).
        services.AddSingleton<SecretProtector>();
        services.AddOptions<RewardOptions>().Bind(configuration.GetSection(RewardOptions.Section));
        services.AddWgStreamSponsorship(configuration);
        services.AddWgStreamAnalytics(configuration);
        services.AddSingleton<IMailSender>(sp =>
            string.Equals(configuration[$"{MailOptions.Section}:{nameof(MailOptions.Mode)}"], "Pickup", StringComparison.OrdinalIgnoreCase)
                ? ActivatorUtilities.CreateInstance<PickupDirectoryMailSender>(sp)
                : ActivatorUtilities.CreateInstance<SmtpMailSender>(sp));
        services.AddWgStreamNotifications(configuration);
        return services;
    }
}
