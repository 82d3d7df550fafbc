using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Hosting;

/// <summary>How the Api process takes part in the cluster.</summary>
public static class OrleansHosting
{
    /// <summary>Co-hosts a silo (the default, for one machine) or joins an existing cluster as a client.</summary>
    public static IHostApplicationBuilder AddWgStreamOrleans(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new();
        if (options.ApiIsClient)
        {
            builder.UseOrleansClient(client =>
            {
                if (options.UseRedis)
                {
                    client.UseRedisClustering(options.Redis);
                }
                else
                {
                    client.UseLocalhostClustering(options.GatewayPort);
                }

                client.Configure<Orleans.Configuration.ClusterOptions>(c =>
                {
                    c.ClusterId = options.ClusterId;
                    c.ServiceId = options.ServiceId;
                });
                client.AddMemoryStreams(StreamNames.Provider);
                client.Services.AddGrainInterfaceTypeCache();
                client.AddDashboard();
                // Api nodes and silos start in any order (compose, Kubernetes): keep trying
                // until a gateway answers rather than exiting on the first refusal.
                client.UseConnectionRetryFilter(async (_, cancellationToken) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    return !cancellationToken.IsCancellationRequested;
                });
            });
        }
        else
        {
            builder.UseOrleans(silo => silo
                .UseWgStreamClustering(builder.Configuration)
                .AddWgStreamGrains(builder.Configuration));
        }

        return builder;
    }

    /// <summary>
    /// Brings the schema up to date when this process co-hosts a silo, before it starts: the silo
    /// reads its storage queries from the database. A cluster client leaves that to the silos.
    /// </summary>
    public static async Task MigrateCoHostedSiloAsync(this IServiceProvider services, IConfiguration configuration)
    {
        if (!(configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new()).ApiIsClient)
        {
            await services.MigrateDatabaseAsync();
        }
    }
}
