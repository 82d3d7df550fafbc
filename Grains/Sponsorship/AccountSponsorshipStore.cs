using Npgsql;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// What an account's deletion ends in the ledger: its open subscriptions (each recorded in
/// <c>ended_subscriptions</c> once cancelled on Stripe) and the sponsorships it pays or receives.
/// Written by the account's AccountSponsorshipsGrain; every step can be repeated.
/// </summary>
public sealed class AccountSponsorshipStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Every subscription the account pays or whose payments go to its channel, as far as the
    /// payments show (a checkout completed but not yet paid has one too), except those known to
    /// have ended.
    /// </summary>
    public async Task<IReadOnlyList<string>> OpenSubscriptionsOfAccountAsync(Guid userId) =>
        await dataSource.Sql("""
            SELECT stripe_subscription_id FROM transactions
             WHERE (payer_id = @u OR channel_id = @u) AND stripe_subscription_id IS NOT NULL
            UNION
            SELECT stripe_subscription_id FROM sponsorships
             WHERE (payer_id = @u OR channel_id = @u) AND stripe_subscription_id IS NOT NULL
            EXCEPT
            SELECT subscription_id FROM ended_subscriptions
            ORDER BY 1
            """)
            .With("u", userId)
            .ListAsync(reader => reader.GetString(0));

    /// <summary>Records a subscription cancelled because an account it involves is deleted (repeating it changes nothing).</summary>
    public Task RecordCancelledForDeletionAsync(string subscriptionId, DateTimeOffset now) =>
        dataSource.Sql("""
            INSERT INTO ended_subscriptions (subscription_id, reason, ended_at) VALUES (@s, 'ACCOUNT_DELETED', @now)
            ON CONFLICT (subscription_id) DO NOTHING
            """)
            .With("s", subscriptionId)
            .With("now", now)
            .ExecuteAsync();

    /// <summary>
    /// Ends every active sponsorship the account pays or receives, now (renewal off, expired at
    /// once), and returns every channel the account ever sponsored or was sponsored on, whose
    /// sponsor sets are to be reloaded. Running it again ends nothing more and returns the same channels.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> EndSponsorshipsOfAccountAsync(Guid userId, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.Sql("""
            UPDATE sponsorships
               SET status = 'ENDED', ended_at = @now, expires_at = LEAST(expires_at, @now), auto_renew = false, updated_at = @now
             WHERE (payer_id = @u OR channel_id = @u) AND status = 'ACTIVE'
            """, transaction)
            .With("u", userId)
            .With("now", now)
            .ExecuteAsync();

        var channels = await connection.Sql("SELECT DISTINCT channel_id FROM sponsorships WHERE payer_id = @u OR channel_id = @u", transaction)
            .With("u", userId)
            .ListAsync(reader => reader.GetGuid(0));

        await transaction.CommitAsync();
        return channels;
    }
}
