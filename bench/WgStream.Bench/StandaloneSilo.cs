using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench;

/// <summary>
/// A silo process on a throwaway database and an Orleans client of it in this process: how an Api
/// node in client mode reaches grains, over the gateway.
/// </summary>
public sealed class StandaloneSilo : IAsyncDisposable
{
    private readonly TestDatabase database;
    private readonly ApiProcess silo;
    private readonly IHost client;

    private StandaloneSilo(TestDatabase database, ApiProcess silo, IHost client)
    {
        this.database = database;
        this.silo = silo;
        this.client = client;
    }

    public IClusterClient Cluster => client.Services.GetRequiredService<IClusterClient>();

    public static async Task<StandaloneSilo> StartAsync(string clusterId)
    {
        var database = await TestDatabase.CreateAsync();
        var silo = ApiProcess.Silo(new Dictionary<string, string>
        {
            ["WG_Database__ConnectionString"] = database.ConnectionString,
            ["WG_Cluster__ClusterId"] = clusterId,
            ["Logging__LogLevel__Default"] = "Error",
        });
        await silo.StartAsync();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(orleans => orleans
            .UseLocalhostClustering(silo.GatewayPort)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "wg-stream";
            }));
        var client = builder.Build();
        await client.StartAsync();
        return new StandaloneSilo(database, silo, client);
    }

    public async ValueTask DisposeAsync()
    {
        await client.StopAsync();
        client.Dispose();
        await silo.DisposeAsync();
        await database.DisposeAsync();
    }
}
