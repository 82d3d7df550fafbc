using Npgsql;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// A payer's checkouts in <c>transactions</c>, from the PENDING row made before Stripe hears of it
/// to the session attached (or the attempt failed); written by that payer's SponsorshipCheckoutGrain.
/// </summary>
public sealed class CheckoutStore(NpgsqlDataSource dataSource)
{
    public async Task<bool> HasRenewingSponsorshipAsync(Guid channelId, Guid payerId, DateTimeOffset now) =>
        await dataSource.Sql("""
            SELECT 1 FROM sponsorships
             WHERE channel_id = @c AND payer_id = @p AND status = 'ACTIVE' AND auto_renew AND expires_at > @now
            """)
            .With("c", channelId)
            .With("p", payerId)
            .With("now", now)
            .ScalarAsync<int?>() is not null;

    /// <summary>A pending checkout of this plan at this price whose session stays open past <paramref name="openUntil"/>.</summary>
    public Task<SponsorshipCheckout?> FindOpenCheckoutAsync(Guid payerId, Guid planId, long amount, string currency, DateTimeOffset openUntil) =>
        dataSource.Sql("""
            SELECT transaction_id, stripe_checkout_session_id, checkout_url FROM transactions
             WHERE payer_id = @p AND plan_id = @plan AND status = 'PENDING' AND amount = @amount AND currency = @currency
               AND stripe_checkout_session_id IS NOT NULL AND checkout_expires_at > @until
             ORDER BY seq DESC
             LIMIT 1
            """)
            .With("p", payerId)
            .With("plan", planId)
            .With("amount", amount)
            .With("currency", currency)
            .With("until", openUntil)
            .FirstOrDefaultAsync(reader => new SponsorshipCheckout(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));

    /// <summary>The transaction exists (PENDING) before Stripe hears of it, so no webhook can ever name one we lack.</summary>
    public async Task InsertPendingAsync(Guid transactionId, Guid payerId, Guid channelId, Guid planId, long amount, string currency, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.Sql("""
            INSERT INTO transactions (transaction_id, payer_id, channel_id, plan_id, amount, currency, status, created_at, updated_at)
            VALUES (@id, @payer, @channel, @plan, @amount, @currency, 'PENDING', @now, @now)
            """, transaction)
            .With("id", transactionId)
            .With("payer", payerId)
            .With("channel", channelId)
            .With("plan", planId)
            .With("amount", amount)
            .With("currency", currency)
            .With("now", now)
            .ExecuteAsync();

        await TransactionStatusStore.RecordHistoryAsync(connection, transaction, transactionId, null, "checkout.created", null, TransactionStatus.Pending, now);
        await transaction.CommitAsync();
    }

    public Task AttachCheckoutAsync(Guid transactionId, string sessionId, string url, DateTimeOffset expiresAt, DateTimeOffset now) =>
        dataSource.Sql("""
            UPDATE transactions
               SET stripe_checkout_session_id = @session, checkout_url = @url, checkout_expires_at = @expires, updated_at = @now
             WHERE transaction_id = @id
            """)
            .With("id", transactionId)
            .With("session", sessionId)
            .With("url", url)
            .With("expires", expiresAt)
            .With("now", now)
            .ExecuteAsync();

    /// <summary>Stripe refused or could not be reached: the attempt is recorded as FAILED.</summary>
    public async Task FailCheckoutAsync(Guid transactionId, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await TransactionStatusStore.LockAsync(connection, transaction, "transaction_id", transactionId) is { Status: TransactionStatus.Pending } row)
        {
            await TransactionStatusStore.SetStatusAsync(connection, transaction, row, TransactionStatus.Failed, null, "checkout.create_failed", now);
        }

        await transaction.CommitAsync();
    }
}
