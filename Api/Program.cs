using WgStream.Api.Hosting;
using WgStream.Hosting;
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
await app.Services.MigrateCoHostedSiloAsync(builder.Configuration);

app.UseWgStreamApi();
await app.RunAsync();
return 0;

/// <summary>Visible to the test project, which starts the real app on a loopback port.</summary>
public partial class Program;
