using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace WgStream.Grains.Infrastructure.Database;

/// <summary>
/// Applies the versioned SQL files of <c>deploy/migrations</c> (embedded in this assembly) in name
/// order, each once and in its own transaction, recording them in <c>schema_migrations</c> with a
/// SHA-256 of their text. An applied migration whose file was edited since stops the start: the
/// database was built from the text it ran, not from the edit, so the edit would silently differ
/// between old and new installations. A change is a new migration.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // Any constant works; it only has to be the same for every node of the platform.
    private const long AdvisoryLockKey = 0x5767_5374_7265_616D;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            // checksum is null for rows recorded before checksums were (they are filled in below).
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    varchar(200) PRIMARY KEY,
                    applied_at timestamptz  NOT NULL DEFAULT now());
                ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum char(64)
                """, cancellationToken);

            var applied = new Dictionary<string, string?>(StringComparer.Ordinal);
            await using (var command = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
                }
            }

            var migrations = LoadMigrations().ToList();
            await CheckAppliedAsync(connection, migrations, applied, cancellationToken);
            foreach (var (version, sql) in migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, checksum) VALUES (@v, @c)", connection, transaction))
                {
                    record.Parameters.AddWithValue("v", version);
                    record.Parameters.AddWithValue("c", Checksum(sql));
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                LogApplied(version);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>
    /// Refuses when an applied migration's text changed; records the checksum of those applied before
    /// checksums existed (taking the text as it is now, the best evidence there is).
    /// </summary>
    private async Task CheckAppliedAsync(
        NpgsqlConnection connection, List<(string Version, string Sql)> migrations, Dictionary<string, string?> applied, CancellationToken cancellationToken)
    {
        var edited = new List<string>();
        foreach (var (version, sql) in migrations)
        {
            if (!applied.TryGetValue(version, out var recorded))
            {
                continue;
            }

            var now = Checksum(sql);
            if (recorded is null)
            {
                await using var record = new NpgsqlCommand("UPDATE schema_migrations SET checksum = @c WHERE version = @v AND checksum IS NULL", connection);
                record.Parameters.AddWithValue("v", version);
                record.Parameters.AddWithValue("c", now);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            else if (!string.Equals(recorded, now, StringComparison.Ordinal))
            {
                edited.Add($"{version} (applied as sha256 {recorded}, the file is now {now})");
            }
        }

        // Versions this build does not know are a newer release's (a rollback): their tables stay, and this code ignores them.
        foreach (var unknown in applied.Keys.Except(migrations.Select(m => m.Version), StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            LogUnknown(unknown);
        }

        if (edited.Count > 0)
        {
            throw new InvalidOperationException(
                "Applied database migrations were edited afterwards: " + string.Join("; ", edited)
                + ". The database ran the text it had then; put the change in a new migration and restore the applied file.");
        }
    }

    internal static IEnumerable<(string Version, string Sql)> LoadMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("migrations/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (Path.GetFileNameWithoutExtension(name), reader.ReadToEnd());
        }
    }

    /// <summary>SHA-256 of the text with line endings as LF, so a checkout with CRLF is the same migration.</summary>
    internal static string Checksum(string sql) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migration {Version}")]
    private partial void LogApplied(string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migration {Version}, which this build does not know (a newer release's); it is left as it is")]
    private partial void LogUnknown(string version);
}
