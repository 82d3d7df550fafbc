using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WgStream.Grains.Hosting;
using WgStream.Grains.Infrastructure.Database;

// A standalone silo: run several of these with WG_Orleans__Clustering=Redis and distinct ports to
// scale out; Api nodes join them as Orleans clients.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables(prefix: "WG_");
if (HealthProbe.IsRequested(args))
{
    var cluster = builder.Configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new();
    return await HealthProbe.TcpAsync(cluster.GatewayPort);
}

builder.UseOrleans(silo => silo
    .UseWgStreamClustering(builder.Configuration)
    .AddWgStreamGrains(builder.Configuration));

using var host = builder.Build();
await host.Services.MigrateDatabaseAsync();
await host.RunAsync();
return 0;
