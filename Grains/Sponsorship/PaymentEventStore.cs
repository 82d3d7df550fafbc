using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Infrastructure.Database;

using WgStream.Gateways.Stripe;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// Payments and sponsorships in PostgreSQL. A Stripe event is applied inside one database
/// transaction that starts by inserting its id into <c>stripe_events</c>: a redelivery finds the
/// id and changes nothing, and a concurrent delivery (on this node or another) blocks on the
/// uncommitted row until the first commits, then finds it too. Rows are changed under
/// <c>SELECT ... FOR UPDATE</c>, so different events about the same payment, arriving in any
/// order or at once, are applied one after the other, each seeing the other's result; the status
/// rules below make the outcome independent of that order.
/// </summary>
public sealed class PaymentEventStore(NpgsqlDataSource dataSource, IOptions<SponsorshipOptions> options)
{
    private SponsorshipOptions Options => options.Value;

    public Task<PaymentEventOutcome?> FindAppliedAsync(string eventId) =>
        dataSource.Sql("SELECT channel_id, payer_id FROM stripe_events WHERE event_id = @id")
            .With("id", eventId)
            .FirstOrDefaultAsync(reader =>
                new PaymentEventOutcome(false, true, reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1)));

    public async Task<bool> KnowsPaymentIntentAsync(string paymentIntentId) =>
        await dataSource.Sql("SELECT 1 FROM transactions WHERE stripe_payment_intent_id = @pi")
            .With("pi", paymentIntentId)
            .ScalarAsync<int?>() is not null;

    /// <summary>
    /// Whether the active sponsorship the subscription pays renews, per the ledger; null when none is
    /// active. The webhook path compares a subscription event's snapshot with it before applying it.
    /// </summary>
    public Task<bool?> RenewsAsync(string subscriptionId) =>
        dataSource.Sql("SELECT auto_renew FROM sponsorships WHERE stripe_subscription_id = @s AND status = 'ACTIVE'")
            .With("s", subscriptionId)
            .ScalarAsync<bool?>();

    /// <summary>
    /// Applies the event once. Returns null when it could not be placed yet (a refund of an invoice
    /// we have not seen paid): nothing is recorded, so Stripe's redelivery tries again later.
    /// </summary>
    public async Task<PaymentEventOutcome?> ApplyAsync(PaymentEvent paymentEvent, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var claimed = await connection.Sql("""
            INSERT INTO stripe_events (event_id, event_type, created_at, received_at)
            VALUES (@id, @type, @created, @now)
            ON CONFLICT (event_id) DO NOTHING
            """, transaction)
            .With("id", paymentEvent.EventId)
            .With("type", paymentEvent.Type)
            .With("created", paymentEvent.Created)
            .With("now", now)
            .ExecuteAsync();
        if (claimed == 0)
        {
            await transaction.RollbackAsync();
            return await FindAppliedAsync(paymentEvent.EventId);
        }

        var apply = new Apply(connection, transaction, paymentEvent, now, paymentEvent.Created < now ? paymentEvent.Created : now);
        var result = paymentEvent.Type switch
        {
            StripeEventTypes.CheckoutCompleted or StripeEventTypes.CheckoutAsyncSucceeded => await CheckoutCompletedAsync(apply),
            StripeEventTypes.CheckoutExpired => await CheckoutEndedAsync(apply, TransactionStatus.Expired),
            StripeEventTypes.CheckoutAsyncFailed => await CheckoutEndedAsync(apply, TransactionStatus.Failed),
            StripeEventTypes.InvoicePaid => await InvoicePaidAsync(apply),
            StripeEventTypes.SubscriptionUpdated => await SubscriptionUpdatedAsync(apply),
            StripeEventTypes.SubscriptionDeleted => await SubscriptionDeletedAsync(apply),
            StripeEventTypes.ChargeRefunded => await ChargeRefundedAsync(apply),
            _ => Result.Ignored,
        };

        if (result.RetryLater)
        {
            await transaction.RollbackAsync();
            return null;
        }

        await connection.Sql("UPDATE stripe_events SET channel_id = @c, payer_id = @p WHERE event_id = @id", transaction)
            .With("id", paymentEvent.EventId)
            .With("c", result.ChannelId, NpgsqlDbType.Uuid)
            .With("p", result.PayerId, NpgsqlDbType.Uuid)
            .ExecuteAsync();

        await transaction.CommitAsync();
        return new PaymentEventOutcome(result.ChannelId is not null, false, result.ChannelId, result.PayerId);
    }

    private async Task<Result> CheckoutCompletedAsync(Apply apply)
    {
        var e = apply.Event;
        if (await LockCheckoutAsync(apply) is not { } row)
        {
            return Result.Ignored;
        }

        await apply.Sql("""
            UPDATE transactions
               SET stripe_checkout_session_id = coalesce(stripe_checkout_session_id, @session),
                   stripe_subscription_id = coalesce(stripe_subscription_id, @subscription),
                   stripe_invoice_id = coalesce(stripe_invoice_id,
                       CASE WHEN EXISTS (SELECT 1 FROM transactions WHERE stripe_invoice_id = @invoice) THEN NULL ELSE @invoice END),
                   updated_at = @now
             WHERE transaction_id = @id
            """)
            .With("id", row.Id)
            .With("session", e.CheckoutSessionId, NpgsqlDbType.Text)
            .With("subscription", e.SubscriptionId, NpgsqlDbType.Text)
            .With("invoice", e.InvoiceId, NpgsqlDbType.Text)
            .With("now", apply.Now)
            .ExecuteAsync();

        // Asynchronous methods (bank debits) complete the checkout unpaid; invoice.paid or
        // async_payment_succeeded follows when the money arrives.
        if (e.PaymentStatus is "paid" or "no_payment_required")
        {
            await SucceedAsync(apply, row, e.SubscriptionId ?? row.SubscriptionId);
        }

        return Result.For(row);
    }

    private async Task<Result> CheckoutEndedAsync(Apply apply, TransactionStatus status)
    {
        if (await LockCheckoutAsync(apply) is not { } row)
        {
            return Result.Ignored;
        }

        // Only a payment still waiting can fail or expire; one already paid stays paid, whatever
        // order the events came in.
        if (row.Status == TransactionStatus.Pending)
        {
            await TransactionStatusStore.SetStatusAsync(apply.Connection, apply.Transaction, row, status, apply.Event.EventId, apply.Event.Type, apply.Now);
        }

        return Result.For(row);
    }

    private async Task<Result> InvoicePaidAsync(Apply apply)
    {
        var e = apply.Event;
        if (e.InvoiceId is null)
        {
            return Result.Ignored;
        }

        var row = await TransactionStatusStore.LockAsync(apply.Connection, apply.Transaction, "stripe_invoice_id", e.InvoiceId);

        // The subscription's first invoice pays for the checkout, even when it arrives before
        // checkout.session.completed: the checkout's id rides along in the subscription metadata.
        if (row is null && e.BillingReason == "subscription_create" && e.TransactionId is { } checkoutId
            && await TransactionStatusStore.LockAsync(apply.Connection, apply.Transaction, "transaction_id", checkoutId) is { } checkout
            && checkout.InvoiceId is null)
        {
            await apply.Sql("UPDATE transactions SET stripe_invoice_id = @invoice, updated_at = @now WHERE transaction_id = @id")
                .With("id", checkout.Id)
                .With("invoice", e.InvoiceId)
                .With("now", apply.Now)
                .ExecuteAsync();
            row = checkout with { InvoiceId = e.InvoiceId };
        }

        // Any other invoice of our subscription is a renewal: a payment of its own.
        if (row is null)
        {
            if (e.ChannelId is not { } channelId || e.PayerId is not { } payerId || e.PlanId is not { } planId
                || e.Amount is not { } amount || e.Currency is not { } currency || !await PlanExistsAsync(apply, planId))
            {
                return Result.Ignored;
            }

            await apply.Sql("""
                INSERT INTO transactions (transaction_id, payer_id, channel_id, plan_id, amount, currency, status,
                                          stripe_subscription_id, stripe_invoice_id, created_at, updated_at)
                VALUES (@id, @payer, @channel, @plan, @amount, @currency, 'PENDING', @subscription, @invoice, @now, @now)
                ON CONFLICT (stripe_invoice_id) DO NOTHING
                """)
                .With("id", Guid.CreateVersion7(apply.Now))
                .With("payer", payerId)
                .With("channel", channelId)
                .With("plan", planId)
                .With("amount", amount)
                .With("currency", currency)
                .With("subscription", e.SubscriptionId, NpgsqlDbType.Text)
                .With("invoice", e.InvoiceId)
                .With("now", apply.Now)
                .ExecuteAsync();

            row = await TransactionStatusStore.LockAsync(apply.Connection, apply.Transaction, "stripe_invoice_id", e.InvoiceId);
            if (row is null)
            {
                return Result.Ignored;
            }

            if (row.Status == TransactionStatus.Pending)
            {
                await TransactionStatusStore.RecordHistoryAsync(
                    apply.Connection, apply.Transaction, row.Id, e.EventId, e.Type, null, TransactionStatus.Pending, apply.Now);
            }
        }

        await SucceedAsync(apply, row, e.SubscriptionId ?? row.SubscriptionId);
        return Result.For(row);
    }

    /// <summary>
    /// Renewal turned off or on: by the sponsor here (the change is already in the ledger, so this
    /// agrees and changes nothing) or elsewhere, such as the Stripe customer portal. The
    /// <see cref="PaymentEventsGrain"/> has replaced a snapshot that disagreed with the ledger by
    /// what Stripe says now, so an older event arriving late cannot undo a newer change.
    /// </summary>
    private async Task<Result> SubscriptionUpdatedAsync(Apply apply)
    {
        var e = apply.Event;
        if (e.SubscriptionId is not { } subscriptionId || e.Renews is not { } renews)
        {
            return Result.Ignored;
        }

        return await RenewalStore.SetRenewalAsync(apply.Connection, apply.Transaction, subscriptionId, renews, Options.RenewalGrace, apply.Now) is { } owner
            ? new Result(owner.ChannelId, owner.PayerId)
            : Result.Ignored;
    }

    private async Task<Result> SubscriptionDeletedAsync(Apply apply)
    {
        var e = apply.Event;
        if (e.SubscriptionId is null)
        {
            return Result.Ignored;
        }

        return await RenewalStore.EndRenewalAsync(apply.Connection, apply.Transaction, e.SubscriptionId, "STRIPE", apply.Now) is { } owner
            ? new Result(owner.ChannelId, owner.PayerId)
            : Result.Ignored;
    }

    private async Task<Result> ChargeRefundedAsync(Apply apply)
    {
        var e = apply.Event;
        var row = e.PaymentIntentId is { } pi
            ? await TransactionStatusStore.LockAsync(apply.Connection, apply.Transaction, "stripe_payment_intent_id", pi)
            : null;
        if (row is null && e.InvoiceId is { } invoiceId)
        {
            row = await TransactionStatusStore.LockAsync(apply.Connection, apply.Transaction, "stripe_invoice_id", invoiceId);
            if (row is null)
            {
                // Stripe says the charge paid one of our invoices, but its invoice.paid (or the
                // checkout completion) is still on its way.
                return Result.Retry;
            }
        }

        if (row is null)
        {
            return Result.Ignored;
        }

        if (e.PaymentIntentId is not null)
        {
            await apply.Sql("UPDATE transactions SET stripe_payment_intent_id = coalesce(stripe_payment_intent_id, @pi) WHERE transaction_id = @id")
                .With("id", row.Id)
                .With("pi", e.PaymentIntentId)
                .ExecuteAsync();
        }

        // A partial refund leaves the payment and the sponsorship standing.
        if (!e.FullyRefunded || row.Status == TransactionStatus.Refunded)
        {
            return Result.For(row);
        }

        await TransactionStatusStore.SetStatusAsync(apply.Connection, apply.Transaction, row, TransactionStatus.Refunded, e.EventId, e.Type, apply.Now);
        await apply.Sql("""
            UPDATE sponsorships
               SET status = 'ENDED', ended_at = @now, expires_at = LEAST(expires_at, @now), auto_renew = false, updated_at = @now
             WHERE channel_id = @c AND payer_id = @p AND status <> 'ENDED'
            """)
            .With("c", row.ChannelId)
            .With("p", row.PayerId)
            .With("now", apply.Now)
            .ExecuteAsync();
        return Result.For(row);
    }

    /// <summary>
    /// Money arrived for this payment. Only the first of the events saying so (checkout completed,
    /// invoice paid, in either order) moves it to SUCCESS and adds a paid period; a refunded
    /// payment stays refunded.
    /// </summary>
    private async Task SucceedAsync(Apply apply, TransactionRow row, string? subscriptionId)
    {
        if (row.Status is TransactionStatus.Success or TransactionStatus.Refunded)
        {
            return;
        }

        var e = apply.Event;
        await apply.Sql("""
            UPDATE transactions
               SET amount = coalesce(@amount, amount), currency = coalesce(@currency, currency),
                   stripe_subscription_id = coalesce(stripe_subscription_id, @subscription)
             WHERE transaction_id = @id
            """)
            .With("id", row.Id)
            .With("amount", e.Amount, NpgsqlDbType.Bigint)
            .With("currency", e.Currency, NpgsqlDbType.Varchar)
            .With("subscription", subscriptionId, NpgsqlDbType.Text)
            .ExecuteAsync();

        await TransactionStatusStore.SetStatusAsync(apply.Connection, apply.Transaction, row, TransactionStatus.Success, e.EventId, e.Type, apply.Now);
        await AddPaidPeriodAsync(apply, row, subscriptionId);
    }

    /// <summary>
    /// One more paid period. Renewals of the same subscription count whole periods from its anchor
    /// (so monthly ends fall on Stripe's billing days: Jan 31, Feb 28, Mar 31); a new subscription
    /// starts a new run at the payment, or at the end of time still paid for.
    /// </summary>
    private async Task AddPaidPeriodAsync(Apply apply, TransactionRow payment, string? subscriptionId)
    {
        var endedBy = subscriptionId is null ? null : await EndedReasonAsync(apply, subscriptionId);
        if (endedBy == "ACCOUNT_DELETED")
        {
            // A late payment of a subscription cancelled with the payer's or the channel's account:
            // the money is recorded, but the sponsorship of a deleted account does not start again.
            return;
        }

        // A placeholder that the update below turns into the real run; it exists only inside
        // this transaction, and makes "lock the row" work whether or not it existed.
        await apply.Sql("""
            INSERT INTO sponsorships (channel_id, payer_id, plan_id, status, started_at, anchor_at, periods, paid_until, expires_at,
                                      auto_renew, stripe_subscription_id, updated_at)
            VALUES (@c, @p, @plan, 'EXPIRED', @at, @at, 1, @at, @at, false, NULL, @now)
            ON CONFLICT (channel_id, payer_id) DO NOTHING
            """)
            .With("c", payment.ChannelId)
            .With("p", payment.PayerId)
            .With("plan", payment.PlanId)
            .With("at", apply.PaidAt)
            .With("now", apply.Now)
            .ExecuteAsync();

        var current = await apply.Sql("""
            SELECT status, started_at, anchor_at, periods, paid_until, auto_renew, stripe_subscription_id
              FROM sponsorships WHERE channel_id = @c AND payer_id = @p FOR UPDATE
            """)
            .With("c", payment.ChannelId)
            .With("p", payment.PayerId)
            .FirstOrDefaultAsync(reader => new SponsorshipRow(
                reader.GetString(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)))
            ?? throw new InvalidOperationException("The sponsorship row claimed in this transaction is missing.");

        var paidAt = apply.PaidAt;
        var continuing = subscriptionId is not null && current.SubscriptionId == subscriptionId && current.Status != "ENDED";
        var stillPaid = current.Status == "ACTIVE" && current.PaidUntil > paidAt;
        var anchor = continuing ? current.Anchor : stillPaid ? current.PaidUntil : paidAt;
        var periods = continuing ? current.Periods + 1 : 1;
        var startedAt = continuing || stillPaid ? current.StartedAt : paidAt;
        // A cancellation seen before this payment (events out of order), or the subscription's end,
        // keeps it from renewing.
        var autoRenew = subscriptionId is not null && endedBy is null && !(continuing && !current.AutoRenew);
        var paidUntil = Options.PeriodEnd(anchor, periods);
        var expiresAt = autoRenew ? paidUntil + Options.RenewalGrace : paidUntil;
        var active = expiresAt > apply.Now;

        await apply.Sql("""
            UPDATE sponsorships
               SET plan_id = @plan, status = @status, started_at = @started, anchor_at = @anchor, periods = @periods,
                   paid_until = @paid_until, expires_at = @expires, auto_renew = @renew, stripe_subscription_id = @subscription,
                   ended_at = @ended, updated_at = @now
             WHERE channel_id = @c AND payer_id = @p
            """)
            .With("c", payment.ChannelId)
            .With("p", payment.PayerId)
            .With("plan", payment.PlanId)
            .With("status", active ? "ACTIVE" : "EXPIRED")
            .With("started", startedAt)
            .With("anchor", anchor)
            .With("periods", periods)
            .With("paid_until", paidUntil)
            .With("expires", expiresAt)
            .With("renew", autoRenew)
            .With("subscription", subscriptionId, NpgsqlDbType.Text)
            .With("ended", active ? null : expiresAt, NpgsqlDbType.TimestampTz)
            .With("now", apply.Now)
            .ExecuteAsync();
    }

    private static async Task<TransactionRow?> LockCheckoutAsync(Apply apply) =>
        (apply.Event.TransactionId is { } id ? await TransactionStatusStore.LockAsync(apply.Connection, apply.Transaction, "transaction_id", id) : null)
        ?? (apply.Event.CheckoutSessionId is { } session
            ? await TransactionStatusStore.LockAsync(apply.Connection, apply.Transaction, "stripe_checkout_session_id", session)
            : null);

    private static Task<string?> EndedReasonAsync(Apply apply, string subscriptionId) =>
        apply.Sql("SELECT reason FROM ended_subscriptions WHERE subscription_id = @s")
            .With("s", subscriptionId)
            .ScalarAsync<string>();

    private static async Task<bool> PlanExistsAsync(Apply apply, Guid planId) =>
        await apply.Sql("SELECT 1 FROM sponsorship_plans WHERE plan_id = @id")
            .With("id", planId)
            .ScalarAsync<int?>() is not null;

    private sealed record Apply(NpgsqlConnection Connection, NpgsqlTransaction Transaction, PaymentEvent Event, DateTimeOffset Now, DateTimeOffset PaidAt)
    {
        public SqlStatement Sql(string sql) => Connection.Sql(sql, Transaction);
    }

    private sealed record SponsorshipRow(string Status, DateTimeOffset StartedAt, DateTimeOffset Anchor, int Periods, DateTimeOffset PaidUntil, bool AutoRenew, string? SubscriptionId);

    /// <summary>Whose sponsorship the event concerned (null: not one of ours), or a request to be asked again later.</summary>
    private sealed record Result(Guid? ChannelId, Guid? PayerId, bool RetryLater = false)
    {
        public static Result Ignored { get; } = new(null, null);

        public static Result Retry { get; } = new(null, null, RetryLater: true);

        public static Result For(TransactionRow row) => new(row.ChannelId, row.PayerId);
    }
}
