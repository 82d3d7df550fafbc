using System.Globalization;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using WgStream.GrainInterfaces.Common;
using WgStream.Hosting;

namespace WgStream.Tests.Infrastructure;

/// <summary>
/// One in-process Orleans test cluster for a test collection: a single silo composed exactly like
/// production (<see cref="SiloBuilderExtensions.AddWgStreamGrains"/>) over its own PostgreSQL
/// database, sending mail to its own SMTP sink.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public SmtpSink Mail { get; private set; } = null!;

    public TestCluster Cluster { get; private set; } = null!;

    public string ServiceId { get; } = $"wg-grain-tests-{Guid.NewGuid():N}";

    public IGrainFactory GrainFactory => Cluster.GrainFactory;

    /// <summary>Extra silo settings a derived fixture wants (for example short lifetimes).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>How many silos the cluster starts with (a derived fixture that kills one wants two).</summary>
    protected virtual short InitialSilos => 1;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Mail = new SmtpSink();

        var builder = new TestClusterBuilder(initialSilosCount: InitialSilos);
        builder.Options.ClusterId = $"wg-grain-tests-{Guid.NewGuid():N}";
        builder.Options.ServiceId = ServiceId;
        builder.Options.ConfigureFileLogging = false;
        // TestingHost puts Properties into the configuration of every silo and client host, which
        // is what ISiloBuilder.Configuration exposes to the configurators below.
        builder.Properties["Database:ConnectionString"] = Database.ConnectionString;
        builder.Properties["Mail:Mode"] = "Smtp";
        builder.Properties["Mail:Host"] = "127.0.0.1";
        builder.Properties["Mail:Port"] = Mail.Port.ToString(CultureInfo.InvariantCulture);
        builder.Properties["Mail:Security"] = "None";
        // The silos run in Production, which refuses to start without a key.
        builder.Properties["Streams:KeyEncryptionKey"] = TestKeys.KeyEncryptionKey;
        // Cheap Argon2 keeps the tests quick; every hash records its own cost, so nothing else changes.
        builder.Properties["Accounts:Argon2MemoryKiB"] = "1024";
        builder.Properties["Accounts:Argon2Iterations"] = "1";
        // The notification workers call user grains in the background (delivery reads their
        // contact), which tests that count activations cannot allow; notifications have their own tests.
        builder.Properties["Notifications:ProcessingEnabled"] = "false";
        builder.Properties["Notifications:DeliveryEnabled"] = "false";
        // Broadcaster grains drop an Api node's viewers when its report's lease ends, and re-send
        // their count to the channel every lease (so a reactivated channel grain catches up): quickly here.
        builder.Properties["Streams:ViewerLease"] = "00:00:02";
        builder.Properties["Streams:ViewerCountFlushInterval"] = "00:00:00.500";
        foreach (var (key, value) in Settings)
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();

        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }

        if (Mail is not null)
        {
            await Mail.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddWgStreamGrains(siloBuilder.Configuration);
            // As UseWgStreamClustering does in production: a fixture may set Cluster:Membership:* (failure detection).
            siloBuilder.Configure<Orleans.Configuration.ClusterMembershipOptions>(siloBuilder.Configuration.GetSection("Cluster:Membership"));
        }
    }

    /// <summary>The client needs the stream provider too, so tests can subscribe to grain streams.</summary>
    public sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddMemoryStreams(StreamNames.Provider);
    }
}

/// <summary>A cluster whose sessions, e-mail codes and reset links expire within seconds.</summary>
public sealed class ShortLifetimeClusterFixture : ClusterFixture
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1.5);

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Accounts:SessionLifetime"] = Lifetime.ToString("c", CultureInfo.InvariantCulture),
        ["Accounts:EmailCodeLifetime"] = Lifetime.ToString("c", CultureInfo.InvariantCulture),
        ["Accounts:PasswordResetLifetime"] = Lifetime.ToString("c", CultureInfo.InvariantCulture),
    };
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}

[CollectionDefinition(Name)]
public sealed class ShortLifetimeClusterCollection : ICollectionFixture<ShortLifetimeClusterFixture>
{
    public const string Name = "ShortLifetimeCluster";
}
