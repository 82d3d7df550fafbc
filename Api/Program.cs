using WgStream.Api.Hosting;
using WgStream.Grains.Hosting;
using WgStream.Grains.Infrastructure.Database;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddEnvironmentVariables(prefix: "WG_");
builder.AddWgStreamOrleans();
builder.Services.AddWgStreamApi(builder.Configuration);

var app = builder.Build();
if (!(builder.Configuration.GetSection(OrleansHostOptions.Section).Get<OrleansHostOptions>() ?? new()).ApiIsClient)
{
    // A co-hosted silo reads its storage queries from the database as it starts.
    await app.Services.MigrateDatabaseAsync();
}

app.UseWgStreamApi();
await app.RunAsync();

/// <summary>Visible to the test project, which starts the real app on a loopback port.</summary>
public partial class Program;
