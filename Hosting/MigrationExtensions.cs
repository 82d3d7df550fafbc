using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Hosting;

public static class MigrationExtensions
{
    /// <summary>
    /// Brings the schema up to date before the silo starts: the Orleans storage provider reads its
    /// queries from the database when it initialises, so they must exist first.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        if (services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        }
    }
}
