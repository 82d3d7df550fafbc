using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using WgStream.Hosting;
using WgStream.ServiceDefaults;

// A standalone silo: run several of these with WG_Orleans__Clustering=Redis and distinct ports to
// scale out; Api nodes join them as Orleans clients.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables(prefix: "WG_");
if (HealthProbe.IsRequested(args))
{
    var cluster = builder.Configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new();
    return await HealthProbe.TcpAsync(cluster.GatewayPort);
}

builder.AddWgServiceDefaults(WgMetrics.MeterName);
var telemetry = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new();
if (telemetry.SiloMetricsPort > 0)
{
    // The Prometheus exporter's own HttpListener rather than making the silo a web host: a scrape
    // is all a silo serves over HTTP (its probes are TCP on the gateway, and Orleans' membership is
    // its readiness), so it gets no Kestrel, request pipeline or URL settings to keep apart from the
    // Api's. The port is opt-in (0 = none), since several silos share one machine in ./wg and tests.
    builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics
        .AddPrometheusHttpListener(o =>
        {
            o.Port = telemetry.SiloMetricsPort;
            // Every interface, since Prometheus scrapes the pod's or container's address: HttpListener
            // spells that http://*:port/, which the options' Host (put through a Uri) cannot hold.
            o.ConfigureHttpListener = (options, listener) =>
            {
                var prefixes = listener.Prefixes.ToList();
                listener.Prefixes.Clear();
                prefixes.ForEach(p => listener.Prefixes.Add(p.Replace($"//{options.Host}:", "//*:", StringComparison.Ordinal)));
            };
        }));
}

builder.UseOrleans(silo => silo
    .UseWgStreamClustering(builder.Configuration)
    .AddWgStreamGrains(builder.Configuration));

using var host = builder.Build();
await host.Services.MigrateDatabaseAsync();
await host.RunAsync();
return 0;
