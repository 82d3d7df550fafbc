using WgStream.Api.Hosting;
using WgStream.Grains.Hosting;
using WgStream.Grains.Infrastructure.Database;
using WgStream.Grains.Infrastructure.Telemetry;
using WgStream.ServiceDefaults;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.HttpAsync(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"));
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddEnvironmentVariables(prefix: "WG_");
builder.AddWgServiceDefaults(WgMetrics.MeterName);
builder.AddWgStreamOrleans();
builder.Services.AddWgStreamApi(builder.Configuration);

var app = builder.Build();
OpenFilesLimit.RaiseToHard(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenFilesLimit)));
if (!(builder.Configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new()).ApiIsClient)
{
    // A co-hosted silo reads its storage queries from the database as it starts.
    await app.Services.MigrateDatabaseAsync();
}

app.UseWgStreamApi();
await app.RunAsync();
return 0;

/// <summary>Visible to the test project, which starts the real app on a loopback port.</summary>
public partial class Program;
