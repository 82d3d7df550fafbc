using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using WgStream.Grains.Infrastructure.Database;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

/// <summary>
/// Migrations are recorded with a SHA-256 of their text; an applied migration edited afterwards
/// stops the start (the database ran the old text), rows from before checksums get one, and a
/// newer release's migrations (after a rollback) are left alone.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SchemaMigrationTests
{
    [Fact]
    public async Task Applied_migrations_are_recorded_with_their_checksum_and_an_edited_one_refuses_to_start()
    {
        await using var database = await TestDatabase.CreateAsync();
        var migrator = new SchemaMigrator(database.DataSource, NullLogger<SchemaMigrator>.Instance);
        var files = SchemaMigrator.LoadMigrations().ToDictionary(m => m.Version, m => (string?)SchemaMigrator.Checksum(m.Sql));
        Assert.Equal(Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "migrations"), "*.sql").Length, files.Count);
        Assert.Equal(files, await RecordedAsync(database.DataSource));

        // Recorded before checksums existed: filled in from the file as it is now.
        var (first, last) = (files.Keys.Min(StringComparer.Ordinal)!, files.Keys.Max(StringComparer.Ordinal)!);
        await ExecuteAsync(database.DataSource, $"UPDATE schema_migrations SET checksum = NULL WHERE version = '{first}'");
        await migrator.MigrateAsync();
        Assert.Equal(files[first], (await RecordedAsync(database.DataSource))[first]);

        // A newer release's migration (this build was rolled back): left alone, the start goes on.
        await ExecuteAsync(database.DataSource, "INSERT INTO schema_migrations (version, checksum) VALUES ('9999_from_the_future', NULL)");
        await migrator.MigrateAsync();

        // The file of an applied migration differs from what ran (as if edited since): refused, naming it.
        var ran = new string('0', 64);
        await ExecuteAsync(database.DataSource, $"UPDATE schema_migrations SET checksum = '{ran}' WHERE version = '{last}'");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync());
        Assert.Contains($"{last} (applied as sha256 {ran}, the file is now {files[last]})", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ran, (await RecordedAsync(database.DataSource))[last]);
    }

    [Fact]
    public void A_checksum_ignores_the_line_endings_of_the_checkout()
    {
        Assert.Equal(SchemaMigrator.Checksum("CREATE TABLE t (a int);\nSELECT 1;\n"), SchemaMigrator.Checksum("CREATE TABLE t (a int);\r\nSELECT 1;\r\n"));
        Assert.NotEqual(SchemaMigrator.Checksum("SELECT 1;"), SchemaMigrator.Checksum("SELECT 2;"));
    }

    private static async Task<Dictionary<string, string?>> RecordedAsync(NpgsqlDataSource dataSource)
    {
        var recorded = new Dictionary<string, string?>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("SELECT version, checksum FROM schema_migrations WHERE version <> '9999_from_the_future'");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            recorded.Add(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        }

        return recorded;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
