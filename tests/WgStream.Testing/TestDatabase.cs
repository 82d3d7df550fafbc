using Npgsql;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database per fixture on the server that <c>./wg services</c> started, migrated
/// with the real schema, and dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly string AdminConnectionString =
        Environment.GetEnvironmentVariable("WG_Database__ConnectionString") ?? new DatabaseOptions().ConnectionString;

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var name = $"wgtest_{Guid.NewGuid():N}";
        await using (var admin = NpgsqlDataSource.Create(AdminConnectionString))
        await using (var command = admin.CreateCommand($"CREATE DATABASE {name}"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
        var database = new TestDatabase(name, connectionString);
        await new SchemaMigrator(database.DataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(AdminConnectionString);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = admin.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // FORCE cannot end a backend another role owns (seen once a suite, right after a
                // process was killed mid-query); it goes away on its own within moments.
                await Task.Delay(250);
            }
        }
    }
}
