using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// A payment's status and its history (<c>transactions</c>, <c>transaction_events</c>), shared by
/// the stores that change payments (<see cref="CheckoutStore"/>, <see cref="PaymentEventStore"/>).
/// Each statement runs inside the transaction its caller opened, so the class is static: it has no
/// connection of its own.
/// </summary>
internal static class TransactionStatusStore
{
    /// <summary>The payment whose <paramref name="column"/> is <paramref name="key"/>, locked until the caller's transaction ends.</summary>
    public static Task<TransactionRow?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string column, object key) =>
        connection.Sql($"""
            SELECT transaction_id, payer_id, channel_id, plan_id, status, stripe_invoice_id, stripe_subscription_id
              FROM transactions WHERE {column} = @key FOR UPDATE
            """, transaction)
            .With("key", key)
            .FirstOrDefaultAsync(reader => new TransactionRow(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetGuid(2),
                reader.GetGuid(3),
                ParseStatus(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));

    public static async Task SetStatusAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TransactionRow row, TransactionStatus status, string? eventId, string eventType, DateTimeOffset now)
    {
        await connection.Sql("UPDATE transactions SET status = @status, updated_at = @now WHERE transaction_id = @id", transaction)
            .With("id", row.Id)
            .With("status", StatusName(status))
            .With("now", now)
            .ExecuteAsync();

        await RecordHistoryAsync(connection, transaction, row.Id, eventId, eventType, row.Status, status, now);
    }

    public static Task RecordHistoryAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid transactionId, string? eventId, string eventType,
        TransactionStatus? from, TransactionStatus to, DateTimeOffset now) =>
        connection.Sql("""
            INSERT INTO transaction_events (transaction_id, stripe_event_id, event_type, from_status, to_status, created_at)
            VALUES (@id, @event, @type, @from, @to, @now)
            """, transaction)
            .With("id", transactionId)
            .With("event", eventId, NpgsqlDbType.Text)
            .With("type", eventType)
            .With("from", from is { } f ? StatusName(f) : null, NpgsqlDbType.Varchar)
            .With("to", StatusName(to))
            .With("now", now)
            .ExecuteAsync();

    public static string StatusName(TransactionStatus status) => status.ToString().ToUpperInvariant();

    public static TransactionStatus ParseStatus(string value) => Enum.Parse<TransactionStatus>(value, ignoreCase: true);
}

/// <summary>A payment as the ledger stores lock it.</summary>
internal sealed record TransactionRow(Guid Id, Guid PayerId, Guid ChannelId, Guid PlanId, TransactionStatus Status, string? InvoiceId, string? SubscriptionId);
