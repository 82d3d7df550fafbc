using System.Data;
using Npgsql;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Notifications;

/// <summary>
/// <c>notification_outbox</c>: a delivery worker claims one due row with <c>FOR UPDATE SKIP
/// LOCKED</c> (<see cref="ClaimNextAsync"/>) and settles it in the same transaction (<see cref="OutboxClaim.SettleAsync"/>),
/// so a row is locked while it is being sent and no other worker sends it too.
/// </summary>
public sealed class NotificationOutboxStore(NpgsqlDataSource dataSource)
{
    /// <summary>Claims the due row that waited longest; null when nothing is due. Disposing the claim unsettled rolls it back.</summary>
    public async Task<OutboxClaim?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var row = await connection.Sql("""
                SELECT o.id, o.medium, o.user_id, o.attempts, n.kind, j.content::text, t.chat_id
                  FROM notification_outbox o
                  JOIN notifications n ON n.id = o.notification_id
                  JOIN notification_jobs j ON j.id = n.job_id
                  LEFT JOIN telegram_links t ON t.user_id = o.user_id
                 WHERE o.status = 'pending' AND o.next_attempt_at <= now()
                 ORDER BY o.next_attempt_at, o.id
                 LIMIT 1
                   FOR UPDATE OF o SKIP LOCKED
                """, transaction)
                .FirstOrDefaultAsync(
                    reader => new OutboxRow(
                        reader.GetInt64(0),
                        reader.GetString(1),
                        reader.GetGuid(2),
                        reader.GetInt32(3),
                        Enum.Parse<NotificationKind>(reader.GetString(4)),
                        NotificationJson.DeserializeContent(reader.IsDBNull(5) ? null : reader.GetString(5)),
                        reader.IsDBNull(6) ? null : reader.GetInt64(6)),
                    cancellationToken);
            if (row is not null)
            {
                return new OutboxClaim(connection, transaction, row);
            }
        }
        catch
        {
            await DisposeAsync(connection, transaction);
            throw;
        }

        await DisposeAsync(connection, transaction);
        return null;
    }

    private static async Task DisposeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }

        await connection.DisposeAsync();
    }
}

/// <summary>A claimed outbox row, locked by its transaction until it is settled or the claim is disposed.</summary>
public sealed class OutboxClaim(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxRow row) : IAsyncDisposable
{
    public OutboxRow Row => row;

    /// <summary>Records the outcome and commits. Not cancellable: a message that went out must be recorded as delivered even during shutdown.</summary>
    public async Task SettleAsync(string status, int attempts, string? error, DateTimeOffset next)
    {
        await connection.Sql("""
            UPDATE notification_outbox
               SET status = @status, attempts = @attempts, last_error = COALESCE(@error, last_error), next_attempt_at = @next,
                   delivered_at = CASE WHEN @status = 'delivered' THEN now() END
             WHERE id = @id
            """, transaction)
            .With("status", status)
            .With("attempts", attempts)
            .With("error", error)
            .With("next", next)
            .With("id", row.Id)
            .ExecuteAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}

public sealed record OutboxRow(long Id, string Medium, Guid UserId, int Attempts, NotificationKind Kind, NotificationContent Content, long? ChatId);
