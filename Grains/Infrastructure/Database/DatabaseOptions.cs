using System.Data.Common;
using Npgsql;

namespace WgStream.Grains.Infrastructure.Database;

/// <summary>Bound from the <c>Database</c> section (environment: <c>WG_Database__ConnectionString</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Npgsql connection string of the PostgreSQL database (grain state and tables; migrations run at start).</summary>
    public string ConnectionString { get; set; } =
        "Host=127.0.0.1;Port=5432;Database=wgstream;Username=wgstream;Password=wgstream";

    /// <summary>
    /// Connections in each of a node's two pools (Orleans' grain state and reminders; the features'
    /// tables), so a node holds twice this at most; a query beyond them waits its turn. Npgsql's own
    /// default; a cluster should lower it so that nodes × 2 × this stays under PostgreSQL's
    /// <c>max_connections</c>, past which PostgreSQL refuses every new connection (10 failed a
    /// publish-done under the test suite's load, so the default waits on a measured figure). A
    /// <c>Maximum Pool Size</c> in the connection string wins.
    /// </summary>
    public int MaxPoolSize { get; set; } = 100;

    /// <summary>Apply pending migrations at start-up (under an advisory lock, so many nodes may race safely).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// The connection string a node opens its pool with: <see cref="ConnectionString"/> with
    /// <see cref="MaxPoolSize"/> unless it names a pool size of its own.
    /// </summary>
    public string PooledConnectionString()
    {
        if (MaxPoolSize < 1)
        {
            throw new InvalidOperationException($"{Section}:{nameof(MaxPoolSize)} must be at least 1 (it is {MaxPoolSize}).");
        }

        var own = new DbConnectionStringBuilder { ConnectionString = ConnectionString };
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (!own.Keys.Cast<string>().Any(IsPoolSizeKey))
        {
            builder.MaxPoolSize = MaxPoolSize;
        }

        return builder.ConnectionString;
    }

    // Npgsql's spellings of the keyword ("Maximum Pool Size" and "MaxPoolSize"), in any case.
    private static bool IsPoolSizeKey(string key) =>
        key.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant() is "MAXIMUMPOOLSIZE" or "MAXPOOLSIZE";
}
