using Microsoft.Extensions.Options;
using Npgsql;
using WgStream.Grains.Infrastructure.Database;

using WgStream.Gateways.Stripe;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// Renewal on and off for a sponsorship paid by a subscription (<c>sponsorships.auto_renew</c>,
/// <c>ended_subscriptions</c>): the sponsor's own change through SponsorshipCheckoutGrain, and
/// (through the static statements, inside its transaction) the change a webhook reports to <see cref="PaymentEventStore"/>.
/// </summary>
public sealed class RenewalStore(NpgsqlDataSource dataSource, IOptions<SponsorshipOptions> options)
{
    /// <summary>The payer's active sponsorship of the channel (not past its expiry), or null.</summary>
    public Task<ActiveSponsorship?> FindActiveAsync(Guid channelId, Guid payerId, DateTimeOffset now) =>
        dataSource.Sql("""
            SELECT s.stripe_subscription_id, s.auto_renew,
                   EXISTS (SELECT 1 FROM ended_subscriptions e WHERE e.subscription_id = s.stripe_subscription_id)
              FROM sponsorships s
             WHERE s.channel_id = @c AND s.payer_id = @p AND s.status = 'ACTIVE' AND s.expires_at > @now
            """)
            .With("c", channelId)
            .With("p", payerId)
            .With("now", now)
            .FirstOrDefaultAsync(reader => new ActiveSponsorship(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2)));

    /// <summary>Whether the payer has a checkout of one of the channel's plans still open to pay.</summary>
    public async Task<bool> HasOpenCheckoutAsync(Guid channelId, Guid payerId, DateTimeOffset now) =>
        await dataSource.Sql("""
            SELECT 1 FROM transactions
             WHERE payer_id = @p AND channel_id = @c AND status = 'PENDING'
               AND stripe_checkout_session_id IS NOT NULL AND checkout_expires_at > @now
             LIMIT 1
            """)
            .With("p", payerId)
            .With("c", channelId)
            .With("now", now)
            .ScalarAsync<int?>() is not null;

    /// <summary>What Stripe answered to a renewal change (or a subscription found ended), written to the ledger.</summary>
    public async Task ApplyRenewalAsync(string subscriptionId, SubscriptionRenewal renewal, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (renewal.Ended)
        {
            await EndRenewalAsync(connection, transaction, subscriptionId, "STRIPE", now);
        }
        else
        {
            await SetRenewalAsync(connection, transaction, subscriptionId, renewal.Renews, options.Value.RenewalGrace, now);
        }

        await transaction.CommitAsync();
    }

    /// <summary>
    /// The subscription will not charge again: it is listed in <c>ended_subscriptions</c> (if it is
    /// ours) and its sponsorship loses renewal, its paid period running out without the renewal grace.
    /// </summary>
    internal static async Task<(Guid ChannelId, Guid PayerId)?> EndRenewalAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string subscriptionId, string reason, DateTimeOffset now)
    {
        await connection.Sql("""
            INSERT INTO ended_subscriptions (subscription_id, reason, ended_at)
            SELECT @subscription, @reason, @now
             WHERE EXISTS (SELECT 1 FROM transactions WHERE stripe_subscription_id = @subscription)
            ON CONFLICT (subscription_id) DO NOTHING
            """, transaction)
            .With("subscription", subscriptionId)
            .With("reason", reason)
            .With("now", now)
            .ExecuteAsync();

        return await connection.Sql("""
            UPDATE sponsorships
               SET auto_renew = false,
                   expires_at = LEAST(expires_at, paid_until),
                   status = CASE WHEN status = 'ACTIVE' AND paid_until <= @now THEN 'EXPIRED' ELSE status END,
                   ended_at = CASE WHEN status = 'ACTIVE' AND paid_until <= @now THEN paid_until ELSE ended_at END,
                   updated_at = @now
             WHERE stripe_subscription_id = @subscription
            RETURNING channel_id, payer_id
            """, transaction)
            .With("subscription", subscriptionId)
            .With("now", now)
            .FirstOrDefaultAsync<(Guid ChannelId, Guid PayerId)?>(reader => (reader.GetGuid(0), reader.GetGuid(1)));
    }

    /// <summary>
    /// Renewal on or off for the sponsorship the subscription pays, while it is active: off drops the
    /// renewal grace (it ends with the paid period), on restores it. A subscription that has ended
    /// cannot be turned back on. Returns whose sponsorship it is (null: none of ours).
    /// </summary>
    internal static async Task<(Guid ChannelId, Guid PayerId)?> SetRenewalAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string subscriptionId, bool renews, TimeSpan grace, DateTimeOffset now)
    {
        await connection.Sql("""
            UPDATE sponsorships
               SET auto_renew = @renews,
                   expires_at = CASE WHEN @renews THEN paid_until + @grace ELSE LEAST(expires_at, paid_until) END,
                   updated_at = @now
             WHERE stripe_subscription_id = @subscription AND status = 'ACTIVE' AND expires_at > @now AND auto_renew <> @renews
               AND NOT (@renews AND EXISTS (SELECT 1 FROM ended_subscriptions WHERE subscription_id = @subscription))
            """, transaction)
            .With("subscription", subscriptionId)
            .With("renews", renews)
            .With("grace", grace)
            .With("now", now)
            .ExecuteAsync();

        return await connection.Sql("SELECT channel_id, payer_id FROM sponsorships WHERE stripe_subscription_id = @subscription", transaction)
            .With("subscription", subscriptionId)
            .FirstOrDefaultAsync<(Guid ChannelId, Guid PayerId)?>(reader => (reader.GetGuid(0), reader.GetGuid(1)));
    }
}

/// <summary>
/// An active sponsorship as cancel and resume see it: the subscription paying it (null for one not
/// paid by a subscription), whether it renews, and whether that subscription has ended on Stripe.
/// </summary>
public sealed record ActiveSponsorship(string? SubscriptionId, bool AutoRenew, bool SubscriptionEnded);
