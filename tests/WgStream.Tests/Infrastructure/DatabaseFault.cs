using Npgsql;

namespace WgStream.Tests.Infrastructure;

/// <summary>
/// Makes PostgreSQL refuse some writes, to stand for a failure between two writes (a silo that
/// stops, a connection that drops): a trigger raises on the rows of one table that match a
/// condition. The condition names one test's own rows, so tests sharing the database are not
/// touched. Disposing drops the trigger.
/// </summary>
public sealed class DatabaseFault : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string name;
    private readonly string table;

    private DatabaseFault(NpgsqlDataSource dataSource, string name, string table)
    {
        this.dataSource = dataSource;
        this.name = name;
        this.table = table;
    }

    /// <summary>
    /// Refuses INSERT and UPDATE of <paramref name="table"/> rows for which <paramref name="condition"/>
    /// (over <c>NEW</c>) holds, with <paramref name="sqlState"/> (a plain raised exception by default;
    /// <c>53300</c>, too many connections, stands for a transient failure).
    /// </summary>
    public static async Task<DatabaseFault> InjectAsync(NpgsqlDataSource dataSource, string table, string condition, string sqlState = "P0001")
    {
        var name = $"test_fault_{Guid.NewGuid():N}";
        await using var command = dataSource.CreateCommand($"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {condition} THEN
                    RAISE EXCEPTION 'injected fault {name}' USING ERRCODE = '{sqlState}';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();
            """);
        await command.ExecuteNonQueryAsync();
        return new DatabaseFault(dataSource, name, table);
    }

    public async ValueTask DisposeAsync()
    {
        await using var command = dataSource.CreateCommand($"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();");
        await command.ExecuteNonQueryAsync();
    }
}
