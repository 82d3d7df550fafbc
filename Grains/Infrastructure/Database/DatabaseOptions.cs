namespace WgStream.Grains.Infrastructure.Database;

/// <summary>Bound from the <c>Database</c> section (environment: <c>WG_Database__ConnectionString</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Npgsql connection string of the PostgreSQL database (grain state and tables; migrations run at start).</summary>
    public string ConnectionString { get; set; } =
        "Host=127.0.0.1;Port=5432;Database=wgstream;Username=wgstream;Password=wgstream";

    /// <summary>Apply pending migrations at start-up (under an advisory lock, so many nodes may race safely).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
