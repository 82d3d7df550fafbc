using Npgsql;

namespace WgStream.Grains.Infrastructure.Database;

/// <summary>
/// A PostgreSQL session advisory lock that elects one silo for a job every silo runs (notification
/// pruning, the Telegram poller). It is held on a connection of its own, so a silo that dies while
/// holding it loses it with that connection and leaves nothing to clean up. Disposing unlocks and
/// closes the connection.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly long key;

    private AdvisoryLock(NpgsqlConnection connection, long key)
    {
        this.connection = connection;
        this.key = key;
    }

    /// <summary>Takes the lock if no other session holds it; null when one does.</summary>
    public static async Task<AdvisoryLock?> TryTakeAsync(NpgsqlDataSource dataSource, long key, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            if (await connection.Sql($"SELECT pg_try_advisory_lock({key})").ScalarAsync<bool>(cancellationToken))
            {
                return new AdvisoryLock(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await using (connection)
        {
            await connection.Sql($"SELECT pg_advisory_unlock({key})").ScalarAsync<bool>(CancellationToken.None);
        }
    }
}
