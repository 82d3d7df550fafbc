using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Sponsorship;
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
public sealed class PaymentLedger(NpgsqlDataSource dataSource, IOptions<SponsorshipOptions> options)
{
    private SponsorshipOptions Options => options.Value;

    // ---- checkouts ----

    public async Task<bool> HasRenewingSponsorshipAsync(Guid channelId, Guid payerId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT 1 FROM sponsorships
             WHERE channel_id = @c AND payer_id = @p AND status = 'ACTIVE' AND auto_renew AND expires_at > @now
            """);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("p", payerId);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteScalarAsync() is not null;
    }

    /// <summary>A pending checkout of this plan at this price whose session stays open past <paramref name="openUntil"/>.</summary>
    public async Task<SponsorshipCheckout?> FindOpenCheckoutAsync(Guid payerId, Guid planId, long amount, string currency, DateTimeOffset openUntil)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT transaction_id, stripe_checkout_session_id, checkout_url FROM transactions
             WHERE payer_id = @p AND plan_id = @plan AND status = 'PENDING' AND amount = @amount AND currency = @currency
               AND stripe_checkout_session_id IS NOT NULL AND checkout_expires_at > @until
             ORDER BY seq DESC
             LIMIT 1
            """);
        command.Parameters.AddWithValue("p", payerId);
        command.Parameters.AddWithValue("plan", planId);
        command.Parameters.AddWithValue("amount", amount);
        command.Parameters.AddWithValue("currency", currency);
        command.Parameters.AddWithValue("until", openUntil);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new SponsorshipCheckout(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>The transaction exists (PENDING) before Stripe hears of it, so no webhook can ever name one we lack.</summary>
    public async Task InsertPendingAsync(Guid transactionId, Guid payerId, Guid channelId, Guid planId, long amount, string currency, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO transactions (transaction_id, payer_id, channel_id, plan_id, amount, currency, status, created_at, updated_at)
            VALUES (@id, @payer, @channel, @plan, @amount, @currency, 'PENDING', @now, @now)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", transactionId);
            insert.Parameters.AddWithValue("payer", payerId);
            insert.Parameters.AddWithValue("channel", channelId);
            insert.Parameters.AddWithValue("plan", planId);
            insert.Parameters.AddWithValue("amount", amount);
            insert.Parameters.AddWithValue("currency", currency);
            insert.Parameters.AddWithValue("now", now);
            await insert.ExecuteNonQueryAsync();
        }

        await RecordHistoryAsync(connection, transaction, transactionId, null, "checkout.created", null, TransactionStatus.Pending, now);
        await transaction.CommitAsync();
    }

    public async Task AttachCheckoutAsync(Guid transactionId, string sessionId, string url, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE transactions
               SET stripe_checkout_session_id = @session, checkout_url = @url, checkout_expires_at = @expires, updated_at = @now
             WHERE transaction_id = @id
            """);
        command.Parameters.AddWithValue("id", transactionId);
        command.Parameters.AddWithValue("session", sessionId);
        command.Parameters.AddWithValue("url", url);
        command.Parameters.AddWithValue("expires", expiresAt);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stripe refused or could not be reached: the attempt is recorded as FAILED.</summary>
    public async Task FailCheckoutAsync(Guid transactionId, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await LockTransactionAsync(connection, transaction, "transaction_id", transactionId) is { Status: TransactionStatus.Pending } row)
        {
            await SetStatusAsync(connection, transaction, row, TransactionStatus.Failed, null, "checkout.create_failed", now);
        }

        await transaction.CommitAsync();
    }

    // ---- webhook events ----

    public async Task<PaymentEventOutcome?> FindAppliedAsync(string eventId)
    {
        await using var command = dataSource.CreateCommand("SELECT channel_id, payer_id FROM stripe_events WHERE event_id = @id");
        command.Parameters.AddWithValue("id", eventId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new PaymentEventOutcome(false, true, reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1))
            : null;
    }

    public async Task<bool> KnowsPaymentIntentAsync(string paymentIntentId)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM transactions WHERE stripe_payment_intent_id = @pi");
        command.Parameters.AddWithValue("pi", paymentIntentId);
        return await command.ExecuteScalarAsync() is not null;
    }

    /// <summary>
    /// Applies the event once. Returns null when it could not be placed yet (a refund of an invoice
    /// we have not seen paid): nothing is recorded, so Stripe's redelivery tries again later.
    /// </summary>
    public async Task<PaymentEventOutcome?> ApplyAsync(PaymentEvent paymentEvent, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var claim = new NpgsqlCommand("""
            INSERT INTO stripe_events (event_id, event_type, created_at, received_at)
            VALUES (@id, @type, @created, @now)
            ON CONFLICT (event_id) DO NOTHING
            """, connection, transaction))
        {
            claim.Parameters.AddWithValue("id", paymentEvent.EventId);
            claim.Parameters.AddWithValue("type", paymentEvent.Type);
            claim.Parameters.AddWithValue("created", paymentEvent.Created);
            claim.Parameters.AddWithValue("now", now);
            if (await claim.ExecuteNonQueryAsync() == 0)
            {
                await transaction.RollbackAsync();
                return await FindAppliedAsync(paymentEvent.EventId);
            }
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

        await using (var mark = new NpgsqlCommand("UPDATE stripe_events SET channel_id = @c, payer_id = @p WHERE event_id = @id", connection, transaction))
        {
            mark.Parameters.AddWithValue("id", paymentEvent.EventId);
            mark.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Uuid) { Value = (object?)result.ChannelId ?? DBNull.Value });
            mark.Parameters.Add(new NpgsqlParameter("p", NpgsqlDbType.Uuid) { Value = (object?)result.PayerId ?? DBNull.Value });
            await mark.ExecuteNonQueryAsync();
        }

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

        await using (var link = apply.Command("""
            UPDATE transactions
               SET stripe_checkout_session_id = coalesce(stripe_checkout_session_id, @session),
                   stripe_subscription_id = coalesce(stripe_subscription_id, @subscription),
                   stripe_invoice_id = coalesce(stripe_invoice_id,
                       CASE WHEN EXISTS (SELECT 1 FROM transactions WHERE stripe_invoice_id = @invoice) THEN NULL ELSE @invoice END),
                   updated_at = @now
             WHERE transaction_id = @id
            """))
        {
            link.Parameters.AddWithValue("id", row.Id);
            link.Parameters.Add(Text("session", e.CheckoutSessionId));
            link.Parameters.Add(Text("subscription", e.SubscriptionId));
            link.Parameters.Add(Text("invoice", e.InvoiceId));
            link.Parameters.AddWithValue("now", apply.Now);
            await link.ExecuteNonQueryAsync();
        }

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
            await SetStatusAsync(apply.Connection, apply.Transaction, row, status, apply.Event.EventId, apply.Event.Type, apply.Now);
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

        var row = await LockTransactionAsync(apply.Connection, apply.Transaction, "stripe_invoice_id", e.InvoiceId);

        // The subscription's first invoice pays for the checkout, even when it arrives before
        // checkout.session.completed: the checkout's id rides along in the subscription metadata.
        if (row is null && e.BillingReason == "subscription_create" && e.TransactionId is { } checkoutId
            && await LockTransactionAsync(apply.Connection, apply.Transaction, "transaction_id", checkoutId) is { } checkout
            && checkout.InvoiceId is null)
        {
            await using var link = apply.Command("UPDATE transactions SET stripe_invoice_id = @invoice, updated_at = @now WHERE transaction_id = @id");
            link.Parameters.AddWithValue("id", checkout.Id);
            link.Parameters.AddWithValue("invoice", e.InvoiceId);
            link.Parameters.AddWithValue("now", apply.Now);
            await link.ExecuteNonQueryAsync();
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

            await using (var insert = apply.Command("""
                INSERT INTO transactions (transaction_id, payer_id, channel_id, plan_id, amount, currency, status,
                                          stripe_subscription_id, stripe_invoice_id, created_at, updated_at)
                VALUES (@id, @payer, @channel, @plan, @amount, @currency, 'PENDING', @subscription, @invoice, @now, @now)
                ON CONFLICT (stripe_invoice_id) DO NOTHING
                """))
            {
                insert.Parameters.AddWithValue("id", Guid.CreateVersion7(apply.Now));
                insert.Parameters.AddWithValue("payer", payerId);
                insert.Parameters.AddWithValue("channel", channelId);
                insert.Parameters.AddWithValue("plan", planId);
                insert.Parameters.AddWithValue("amount", amount);
                insert.Parameters.AddWithValue("currency", currency);
                insert.Parameters.Add(Text("subscription", e.SubscriptionId));
                insert.Parameters.AddWithValue("invoice", e.InvoiceId);
                insert.Parameters.AddWithValue("now", apply.Now);
                await insert.ExecuteNonQueryAsync();
            }

            row = await LockTransactionAsync(apply.Connection, apply.Transaction, "stripe_invoice_id", e.InvoiceId);
            if (row is null)
            {
                return Result.Ignored;
            }

            if (row.Status == TransactionStatus.Pending)
            {
                await RecordHistoryAsync(apply.Connection, apply.Transaction, row.Id, e.EventId, e.Type, null, TransactionStatus.Pending, apply.Now);
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

        return await SetRenewalAsync(apply.Connection, apply.Transaction, subscriptionId, renews, apply.Now) is { } owner
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

        return await EndRenewalAsync(apply.Connection, apply.Transaction, e.SubscriptionId, "STRIPE", apply.Now) is { } owner
            ? new Result(owner.ChannelId, owner.PayerId)
            : Result.Ignored;
    }

    /// <summary>
    /// The subscription will not charge again: it is listed in <c>ended_subscriptions</c> (if it is
    /// ours) and its sponsorship loses renewal, its paid period running out without the renewal grace.
    /// </summary>
    private static async Task<(Guid ChannelId, Guid PayerId)?> EndRenewalAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string subscriptionId, string reason, DateTimeOffset now)
    {
        await using (var record = new NpgsqlCommand("""
            INSERT INTO ended_subscriptions (subscription_id, reason, ended_at)
            SELECT @subscription, @reason, @now
             WHERE EXISTS (SELECT 1 FROM transactions WHERE stripe_subscription_id = @subscription)
            ON CONFLICT (subscription_id) DO NOTHING
            """, connection, transaction))
        {
            record.Parameters.AddWithValue("subscription", subscriptionId);
            record.Parameters.AddWithValue("reason", reason);
            record.Parameters.AddWithValue("now", now);
            await record.ExecuteNonQueryAsync();
        }

        await using var end = new NpgsqlCommand("""
            UPDATE sponsorships
               SET auto_renew = false,
                   expires_at = LEAST(expires_at, paid_until),
                   status = CASE WHEN status = 'ACTIVE' AND paid_until <= @now THEN 'EXPIRED' ELSE status END,
                   ended_at = CASE WHEN status = 'ACTIVE' AND paid_until <= @now THEN paid_until ELSE ended_at END,
                   updated_at = @now
             WHERE stripe_subscription_id = @subscription
            RETURNING channel_id, payer_id
            """, connection, transaction);
        end.Parameters.AddWithValue("subscription", subscriptionId);
        end.Parameters.AddWithValue("now", now);
        await using var reader = await end.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetGuid(0), reader.GetGuid(1)) : null;
    }

    /// <summary>
    /// Renewal on or off for the sponsorship the subscription pays, while it is active: off drops the
    /// renewal grace (it ends with the paid period), on restores it. A subscription that has ended
    /// cannot be turned back on. Returns whose sponsorship it is (null: none of ours).
    /// </summary>
    private async Task<(Guid ChannelId, Guid PayerId)?> SetRenewalAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string subscriptionId, bool renews, DateTimeOffset now)
    {
        await using var update = new NpgsqlCommand("""
            UPDATE sponsorships
               SET auto_renew = @renews,
                   expires_at = CASE WHEN @renews THEN paid_until + @grace ELSE LEAST(expires_at, paid_until) END,
                   updated_at = @now
             WHERE stripe_subscription_id = @subscription AND status = 'ACTIVE' AND expires_at > @now AND auto_renew <> @renews
               AND NOT (@renews AND EXISTS (SELECT 1 FROM ended_subscriptions WHERE subscription_id = @subscription))
            """, connection, transaction);
        update.Parameters.AddWithValue("subscription", subscriptionId);
        update.Parameters.AddWithValue("renews", renews);
        update.Parameters.AddWithValue("grace", Options.RenewalGrace);
        update.Parameters.AddWithValue("now", now);
        await update.ExecuteNonQueryAsync();

        await using var owner = new NpgsqlCommand("SELECT channel_id, payer_id FROM sponsorships WHERE stripe_subscription_id = @subscription", connection, transaction);
        owner.Parameters.AddWithValue("subscription", subscriptionId);
        await using var reader = await owner.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetGuid(0), reader.GetGuid(1)) : null;
    }

    private async Task<Result> ChargeRefundedAsync(Apply apply)
    {
        var e = apply.Event;
        var row = e.PaymentIntentId is { } pi ? await LockTransactionAsync(apply.Connection, apply.Transaction, "stripe_payment_intent_id", pi) : null;
        if (row is null && e.InvoiceId is { } invoiceId)
        {
            row = await LockTransactionAsync(apply.Connection, apply.Transaction, "stripe_invoice_id", invoiceId);
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
            await using var link = apply.Command("UPDATE transactions SET stripe_payment_intent_id = coalesce(stripe_payment_intent_id, @pi) WHERE transaction_id = @id");
            link.Parameters.AddWithValue("id", row.Id);
            link.Parameters.AddWithValue("pi", e.PaymentIntentId);
            await link.ExecuteNonQueryAsync();
        }

        // A partial refund leaves the payment and the sponsorship standing.
        if (!e.FullyRefunded || row.Status == TransactionStatus.Refunded)
        {
            return Result.For(row);
        }

        await SetStatusAsync(apply.Connection, apply.Transaction, row, TransactionStatus.Refunded, e.EventId, e.Type, apply.Now);
        await using var end = apply.Command("""
            UPDATE sponsorships
               SET status = 'ENDED', ended_at = @now, expires_at = LEAST(expires_at, @now), auto_renew = false, updated_at = @now
             WHERE channel_id = @c AND payer_id = @p AND status <> 'ENDED'
            """);
        end.Parameters.AddWithValue("c", row.ChannelId);
        end.Parameters.AddWithValue("p", row.PayerId);
        end.Parameters.AddWithValue("now", apply.Now);
        await end.ExecuteNonQueryAsync();
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
        await using (var update = apply.Command("""
            UPDATE transactions
               SET amount = coalesce(@amount, amount), currency = coalesce(@currency, currency),
                   stripe_subscription_id = coalesce(stripe_subscription_id, @subscription)
             WHERE transaction_id = @id
            """))
        {
            update.Parameters.AddWithValue("id", row.Id);
            update.Parameters.Add(new NpgsqlParameter("amount", NpgsqlDbType.Bigint) { Value = (object?)e.Amount ?? DBNull.Value });
            update.Parameters.Add(new NpgsqlParameter("currency", NpgsqlDbType.Varchar) { Value = (object?)e.Currency ?? DBNull.Value });
            update.Parameters.Add(Text("subscription", subscriptionId));
            await update.ExecuteNonQueryAsync();
        }

        await SetStatusAsync(apply.Connection, apply.Transaction, row, TransactionStatus.Success, e.EventId, e.Type, apply.Now);
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

        await using (var claim = apply.Command("""
            INSERT INTO sponsorships (channel_id, payer_id, plan_id, status, started_at, anchor_at, periods, paid_until, expires_at,
                                      auto_renew, stripe_subscription_id, updated_at)
            VALUES (@c, @p, @plan, 'EXPIRED', @at, @at, 1, @at, @at, false, NULL, @now)
            ON CONFLICT (channel_id, payer_id) DO NOTHING
            """))
        {
            // A placeholder that the update below turns into the real run; it exists only inside
            // this transaction, and makes "lock the row" work whether or not it existed.
            claim.Parameters.AddWithValue("c", payment.ChannelId);
            claim.Parameters.AddWithValue("p", payment.PayerId);
            claim.Parameters.AddWithValue("plan", payment.PlanId);
            claim.Parameters.AddWithValue("at", apply.PaidAt);
            claim.Parameters.AddWithValue("now", apply.Now);
            await claim.ExecuteNonQueryAsync();
        }

        SponsorshipRow current;
        await using (var select = apply.Command("""
            SELECT status, started_at, anchor_at, periods, paid_until, auto_renew, stripe_subscription_id
              FROM sponsorships WHERE channel_id = @c AND payer_id = @p FOR UPDATE
            """))
        {
            select.Parameters.AddWithValue("c", payment.ChannelId);
            select.Parameters.AddWithValue("p", payment.PayerId);
            await using var reader = await select.ExecuteReaderAsync();
            await reader.ReadAsync();
            current = new SponsorshipRow(
                reader.GetString(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetString(6));
        }

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

        await using var update = apply.Command("""
            UPDATE sponsorships
               SET plan_id = @plan, status = @status, started_at = @started, anchor_at = @anchor, periods = @periods,
                   paid_until = @paid_until, expires_at = @expires, auto_renew = @renew, stripe_subscription_id = @subscription,
                   ended_at = @ended, updated_at = @now
             WHERE channel_id = @c AND payer_id = @p
            """);
        update.Parameters.AddWithValue("c", payment.ChannelId);
        update.Parameters.AddWithValue("p", payment.PayerId);
        update.Parameters.AddWithValue("plan", payment.PlanId);
        update.Parameters.AddWithValue("status", active ? "ACTIVE" : "EXPIRED");
        update.Parameters.AddWithValue("started", startedAt);
        update.Parameters.AddWithValue("anchor", anchor);
        update.Parameters.AddWithValue("periods", periods);
        update.Parameters.AddWithValue("paid_until", paidUntil);
        update.Parameters.AddWithValue("expires", expiresAt);
        update.Parameters.AddWithValue("renew", autoRenew);
        update.Parameters.Add(Text("subscription", subscriptionId));
        update.Parameters.Add(new NpgsqlParameter("ended", NpgsqlDbType.TimestampTz) { Value = active ? DBNull.Value : expiresAt });
        update.Parameters.AddWithValue("now", apply.Now);
        await update.ExecuteNonQueryAsync();
    }

    // ---- sponsors of a channel (for ChannelSponsorsGrain) ----

    /// <summary>Payer to expiry of every sponsorship the table still calls ACTIVE (some may be past due, awaiting expiry).</summary>
    public async Task<Dictionary<Guid, DateTimeOffset>> ActiveSponsorsAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("SELECT payer_id, expires_at FROM sponsorships WHERE channel_id = @c AND status = 'ACTIVE'");
        command.Parameters.AddWithValue("c", channelId);
        await using var reader = await command.ExecuteReaderAsync();
        var sponsors = new Dictionary<Guid, DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            sponsors[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return sponsors;
    }

    /// <summary>The expiry of the payer's sponsorship if the table calls it ACTIVE, else null.</summary>
    public async Task<DateTimeOffset?> ActiveUntilAsync(Guid channelId, Guid payerId)
    {
        await using var command = dataSource.CreateCommand("SELECT expires_at FROM sponsorships WHERE channel_id = @c AND payer_id = @p AND status = 'ACTIVE'");
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("p", payerId);
        return await command.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    /// <summary>Marks the channel's sponsorships that ran out as EXPIRED; returns their payers. A concurrent extension wins (row lock, re-checked condition).</summary>
    public async Task<IReadOnlyList<Guid>> ExpireDueAsync(Guid channelId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE sponsorships SET status = 'EXPIRED', ended_at = expires_at, updated_at = @now
             WHERE channel_id = @c AND status = 'ACTIVE' AND expires_at <= @now
            RETURNING payer_id
            """);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync();
        var expired = new List<Guid>();
        while (await reader.ReadAsync())
        {
            expired.Add(reader.GetGuid(0));
        }

        return expired;
    }

    // ---- renewal on and off (for SponsorshipCheckoutGrain) ----

    /// <summary>The payer's active sponsorship of the channel (not past its expiry), or null.</summary>
    public async Task<ActiveSponsorship?> FindActiveAsync(Guid channelId, Guid payerId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT s.stripe_subscription_id, s.auto_renew,
                   EXISTS (SELECT 1 FROM ended_subscriptions e WHERE e.subscription_id = s.stripe_subscription_id)
              FROM sponsorships s
             WHERE s.channel_id = @c AND s.payer_id = @p AND s.status = 'ACTIVE' AND s.expires_at > @now
            """);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("p", payerId);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new ActiveSponsorship(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2))
            : null;
    }

    /// <summary>Whether the payer has a checkout of one of the channel's plans still open to pay.</summary>
    public async Task<bool> HasOpenCheckoutAsync(Guid channelId, Guid payerId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT 1 FROM transactions
             WHERE payer_id = @p AND channel_id = @c AND status = 'PENDING'
               AND stripe_checkout_session_id IS NOT NULL AND checkout_expires_at > @now
             LIMIT 1
            """);
        command.Parameters.AddWithValue("p", payerId);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteScalarAsync() is not null;
    }

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
            await SetRenewalAsync(connection, transaction, subscriptionId, renewal.Renews, now);
        }

        await transaction.CommitAsync();
    }

    /// <summary>Whether the active sponsorship the subscription pays renews, per the ledger; null when none is active.</summary>
    public async Task<bool?> RenewsAsync(string subscriptionId)
    {
        await using var command = dataSource.CreateCommand("SELECT auto_renew FROM sponsorships WHERE stripe_subscription_id = @s AND status = 'ACTIVE'");
        command.Parameters.AddWithValue("s", subscriptionId);
        return await command.ExecuteScalarAsync() as bool?;
    }

    // ---- account deletion (for AccountSponsorshipsGrain) ----

    /// <summary>
    /// Every subscription the account pays or whose payments go to its channel, as far as the
    /// payments show (a checkout completed but not yet paid has one too), except those known to
    /// have ended.
    /// </summary>
    public async Task<IReadOnlyList<string>> OpenSubscriptionsOfAccountAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT stripe_subscription_id FROM transactions
             WHERE (payer_id = @u OR channel_id = @u) AND stripe_subscription_id IS NOT NULL
            UNION
            SELECT stripe_subscription_id FROM sponsorships
             WHERE (payer_id = @u OR channel_id = @u) AND stripe_subscription_id IS NOT NULL
            EXCEPT
            SELECT subscription_id FROM ended_subscriptions
            ORDER BY 1
            """);
        command.Parameters.AddWithValue("u", userId);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Records a subscription cancelled because an account it involves is deleted (repeating it changes nothing).</summary>
    public async Task RecordCancelledForDeletionAsync(string subscriptionId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ended_subscriptions (subscription_id, reason, ended_at) VALUES (@s, 'ACCOUNT_DELETED', @now)
            ON CONFLICT (subscription_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("s", subscriptionId);
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Ends every active sponsorship the account pays or receives, now (renewal off, expired at
    /// once), and returns every channel the account ever sponsored or was sponsored on, whose
    /// sponsor sets are to be reloaded. Running it again ends nothing more and returns the same channels.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> EndSponsorshipsOfAccountAsync(Guid userId, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var end = new NpgsqlCommand("""
            UPDATE sponsorships
               SET status = 'ENDED', ended_at = @now, expires_at = LEAST(expires_at, @now), auto_renew = false, updated_at = @now
             WHERE (payer_id = @u OR channel_id = @u) AND status = 'ACTIVE'
            """, connection, transaction))
        {
            end.Parameters.AddWithValue("u", userId);
            end.Parameters.AddWithValue("now", now);
            await end.ExecuteNonQueryAsync();
        }

        var channels = new List<Guid>();
        await using (var select = new NpgsqlCommand("SELECT DISTINCT channel_id FROM sponsorships WHERE payer_id = @u OR channel_id = @u", connection, transaction))
        {
            select.Parameters.AddWithValue("u", userId);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                channels.Add(reader.GetGuid(0));
            }
        }

        await transaction.CommitAsync();
        return channels;
    }

    // ---- helpers ----

    private static async Task<TransactionRow?> LockCheckoutAsync(Apply apply) =>
        (apply.Event.TransactionId is { } id ? await LockTransactionAsync(apply.Connection, apply.Transaction, "transaction_id", id) : null)
        ?? (apply.Event.CheckoutSessionId is { } session
            ? await LockTransactionAsync(apply.Connection, apply.Transaction, "stripe_checkout_session_id", session)
            : null);

    private static async Task<TransactionRow?> LockTransactionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string column, object key)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT transaction_id, payer_id, channel_id, plan_id, status, stripe_invoice_id, stripe_subscription_id
              FROM transactions WHERE {column} = @key FOR UPDATE
            """, connection, transaction);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new TransactionRow(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetGuid(2),
                reader.GetGuid(3),
                ParseStatus(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6))
            : null;
    }

    private static async Task SetStatusAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TransactionRow row, TransactionStatus status, string? eventId, string eventType, DateTimeOffset now)
    {
        await using (var update = new NpgsqlCommand("UPDATE transactions SET status = @status, updated_at = @now WHERE transaction_id = @id", connection, transaction))
        {
            update.Parameters.AddWithValue("id", row.Id);
            update.Parameters.AddWithValue("status", StatusName(status));
            update.Parameters.AddWithValue("now", now);
            await update.ExecuteNonQueryAsync();
        }

        await RecordHistoryAsync(connection, transaction, row.Id, eventId, eventType, row.Status, status, now);
    }

    private static async Task RecordHistoryAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid transactionId, string? eventId, string eventType,
        TransactionStatus? from, TransactionStatus to, DateTimeOffset now)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO transaction_events (transaction_id, stripe_event_id, event_type, from_status, to_status, created_at)
            VALUES (@id, @event, @type, @from, @to, @now)
            """, connection, transaction);
        insert.Parameters.AddWithValue("id", transactionId);
        insert.Parameters.Add(Text("event", eventId));
        insert.Parameters.AddWithValue("type", eventType);
        insert.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Varchar) { Value = from is { } f ? StatusName(f) : DBNull.Value });
        insert.Parameters.AddWithValue("to", StatusName(to));
        insert.Parameters.AddWithValue("now", now);
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<string?> EndedReasonAsync(Apply apply, string subscriptionId)
    {
        await using var command = apply.Command("SELECT reason FROM ended_subscriptions WHERE subscription_id = @s");
        command.Parameters.AddWithValue("s", subscriptionId);
        return await command.ExecuteScalarAsync() as string;
    }

    private static async Task<bool> PlanExistsAsync(Apply apply, Guid planId)
    {
        await using var command = apply.Command("SELECT 1 FROM sponsorship_plans WHERE plan_id = @id");
        command.Parameters.AddWithValue("id", planId);
        return await command.ExecuteScalarAsync() is not null;
    }

    internal static string StatusName(TransactionStatus status) => status.ToString().ToUpperInvariant();

    internal static TransactionStatus ParseStatus(string value) => Enum.Parse<TransactionStatus>(value, ignoreCase: true);

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private sealed record Apply(NpgsqlConnection Connection, NpgsqlTransaction Transaction, PaymentEvent Event, DateTimeOffset Now, DateTimeOffset PaidAt)
    {
        public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);
    }

    private sealed record TransactionRow(Guid Id, Guid PayerId, Guid ChannelId, Guid PlanId, TransactionStatus Status, string? InvoiceId, string? SubscriptionId);

    private sealed record SponsorshipRow(string Status, DateTimeOffset StartedAt, DateTimeOffset Anchor, int Periods, DateTimeOffset PaidUntil, bool AutoRenew, string? SubscriptionId);

    /// <summary>Whose sponsorship the event concerned (null: not one of ours), or a request to be asked again later.</summary>
    private sealed record Result(Guid? ChannelId, Guid? PayerId, bool RetryLater = false)
    {
        public static Result Ignored { get; } = new(null, null);

        public static Result Retry { get; } = new(null, null, RetryLater: true);

        public static Result For(TransactionRow row) => new(row.ChannelId, row.PayerId);
    }
}

/// <summary>
/// An active sponsorship as cancel and resume see it: the subscription paying it (null for one not
/// paid by a subscription), whether it renews, and whether that subscription has ended on Stripe.
/// </summary>
public sealed record ActiveSponsorship(string? SubscriptionId, bool AutoRenew, bool SubscriptionEnded);
