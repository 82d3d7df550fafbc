using System.Net;
using static WgStream.Tests.Sponsorship.StripeWebhooks;

namespace WgStream.Tests.Sponsorship;

/// <summary>Stripe's deliveries to POST /webhooks/stripe: signatures, exactly-once application, any order.</summary>
[Collection(SponsorshipCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class StripeWebhookTests(SponsorshipFixture fixture)
{
    [Fact]
    public async Task Bad_stale_or_missing_signatures_are_refused_with_400_and_change_nothing()
    {
        var (_, _, checkout) = await fixture.CheckoutAsync();
        var eventId = NewId("evt");
        var payload = Event("checkout.session.completed", Session(checkout, "complete", "paid", NewId("sub"), NewId("in")), eventId);
        var now = DateTimeOffset.UtcNow;

        // Timestamps near the 300 s tolerance are taken fresh where they are used: on a slow machine
        // seconds pass between these deliveries, which would otherwise move them across the edge.
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(fixture.Http, payload, signature: null));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(fixture.Http, payload, ""));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(fixture.Http, payload, Sign(payload, now, "whsec_someone_elses_secret")));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(fixture.Http, payload.Replace("\"paid\"", "\"unpaid\"", StringComparison.Ordinal), Sign(payload, now)));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(fixture.Http, payload, Sign(payload, now - TimeSpan.FromSeconds(301))));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(fixture.Http, payload, Sign(payload, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(330))));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(fixture.Http, payload, "t=not-a-time,v1=00"));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(fixture.Http, "{not json", Sign("{not json", now)));
        var huge = payload.Replace("\"livemode\"", $"\"padding\":\"{new string('x', 600 * 1024)}\",\"livemode\"", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await DeliverAsync(fixture.Http, huge, Sign(huge, now)));

        Assert.Equal("PENDING", await fixture.TransactionStatusAsync(checkout.TransactionId));
        Assert.Equal(0, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM stripe_events WHERE event_id = @id", ("id", eventId)));
        Assert.Equal(0, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM sponsorships WHERE payer_id = @p", ("p", checkout.PayerId)));

        // The very same payload, correctly signed (and within the tolerance), is accepted.
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(fixture.Http, payload, Sign(payload, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(240))));
        Assert.Equal("SUCCESS", await fixture.TransactionStatusAsync(checkout.TransactionId));
    }

    [Fact]
    public async Task One_event_delivered_a_hundred_times_at_once_and_again_later_is_applied_once()
    {
        var (streamer, fan, checkout) = await fixture.CheckoutAsync();
        var subscription = NewId("sub");
        var invoice = NewId("in");
        var payload = Event("invoice.paid", Invoice(checkout, invoice, subscription, "subscription_create"));
        var signature = Sign(payload, DateTimeOffset.UtcNow);

        var deliveries = (await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => DeliverReadingAsync(fixture.Http, payload, signature)))).ToList();
        for (var i = 0; i < 5; i++)
        {
            deliveries.Add(await DeliverReadingAsync(fixture.Http, payload, signature));
        }

        Assert.All(deliveries, d => Assert.Equal(HttpStatusCode.OK, d.Status));
        // Exactly one delivery claimed the event id; the others found it already applied.
        Assert.Single(deliveries, d => d.Body.Contains("\"duplicate\":false", StringComparison.Ordinal));
        Assert.Equal(104, deliveries.Count(d => d.Body.Contains("\"duplicate\":true", StringComparison.Ordinal)));

        // The checkout's own completion is the same payment, not a second one.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("checkout.session.completed", Session(checkout, "complete", "paid", subscription, invoice))));

        Assert.Equal(1, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM transactions WHERE payer_id = @p", ("p", checkout.PayerId)));
        Assert.Equal("SUCCESS", await fixture.TransactionStatusAsync(checkout.TransactionId));
        Assert.Equal(1, await fixture.ScalarAsync<int>(
            "SELECT count(*)::int FROM transaction_events WHERE transaction_id = @t AND to_status = 'SUCCESS'", ("t", checkout.TransactionId)));
        Assert.Equal(1, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM sponsorships WHERE payer_id = @p", ("p", checkout.PayerId)));
        Assert.Equal(1, await fixture.ScalarAsync<int>("SELECT periods FROM sponsorships WHERE payer_id = @p", ("p", checkout.PayerId)));
        Assert.Equal(invoice, await fixture.ScalarAsync<string>("SELECT stripe_invoice_id FROM transactions WHERE transaction_id = @t", ("t", checkout.TransactionId)));

        var sponsors = await SponsorshipFixture.SponsorIdsAsync(fixture.CreateClient(), checkout.ChannelId);
        Assert.Equal([checkout.PayerId.ToString()], sponsors);
        var income = (await streamer.DataAsync("{ channelTransactions(first: 10) { edges { node { status amount currency payer { id } } } } }"))
            .GetProperty("channelTransactions").GetProperty("edges");
        var paid = Assert.Single(income.EnumerateArray()).GetProperty("node");
        Assert.Equal("SUCCESS", paid.GetProperty("status").GetString());
        Assert.Equal(500, paid.GetProperty("amount").GetInt64());
        Assert.Equal(checkout.PayerId.ToString(), paid.GetProperty("payer").GetProperty("id").GetString());
        Assert.NotNull(await SponsorshipFixture.MySponsorshipAsync(fan, checkout.ChannelId));
    }

    [Fact]
    public async Task Events_out_of_order_end_in_the_right_state()
    {
        var (_, fan, checkout) = await fixture.CheckoutAsync();
        var subscription = NewId("sub");
        var firstInvoice = NewId("in");
        var paidAt = DateTimeOffset.UtcNow;

        // The first invoice is paid before Stripe reports the checkout complete.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("invoice.paid", Invoice(checkout, firstInvoice, subscription, "subscription_create"), created: paidAt)));
        Assert.Equal("SUCCESS", await fixture.TransactionStatusAsync(checkout.TransactionId));
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("checkout.session.completed", Session(checkout, "complete", "paid", subscription, firstInvoice))));
        // Late news about the same checkout cannot undo the payment.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("checkout.session.async_payment_failed", Session(checkout, "complete", "unpaid", subscription))));
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("checkout.session.expired", Session(checkout, "expired", "unpaid"))));

        Assert.Equal("SUCCESS", await fixture.TransactionStatusAsync(checkout.TransactionId));
        Assert.Equal(checkout.SessionId, await fixture.ScalarAsync<string>("SELECT stripe_checkout_session_id FROM transactions WHERE transaction_id = @t", ("t", checkout.TransactionId)));
        Assert.Equal(subscription, await fixture.ScalarAsync<string>("SELECT stripe_subscription_id FROM transactions WHERE transaction_id = @t", ("t", checkout.TransactionId)));
        var anchor = DateTimeOffset.FromUnixTimeSeconds(paidAt.ToUnixTimeSeconds());
        var sponsorship = (await SponsorshipFixture.MySponsorshipAsync(fan, checkout.ChannelId))!.Value;
        Assert.Equal("ACTIVE", sponsorship.GetProperty("status").GetString());
        Assert.True(sponsorship.GetProperty("autoRenew").GetBoolean());
        // One calendar month of paid time, plus a day of grace while the subscription renews.
        Assert.Equal(anchor.AddMonths(1).AddDays(1), sponsorship.GetProperty("expiresAt").GetDateTimeOffset());

        // A renewal is a payment of its own and extends by another calendar month from the same anchor.
        var renewal = NewId("in");
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("invoice.paid", Invoice(checkout, renewal, subscription, "subscription_cycle", amountPaid: 500))));
        Assert.Equal(2, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM transactions WHERE payer_id = @p AND status = 'SUCCESS'", ("p", checkout.PayerId)));
        Assert.Equal(
            anchor.AddMonths(2).AddDays(1),
            (await SponsorshipFixture.MySponsorshipAsync(fan, checkout.ChannelId))!.Value.GetProperty("expiresAt").GetDateTimeOffset());

        // Cancelling the subscription stops renewals: the paid months run out, without grace.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.subscription.deleted", Subscription(checkout, subscription, "canceled"))));
        var cancelled = (await SponsorshipFixture.MySponsorshipAsync(fan, checkout.ChannelId))!.Value;
        Assert.False(cancelled.GetProperty("autoRenew").GetBoolean());
        Assert.Equal("ACTIVE", cancelled.GetProperty("status").GetString());
        Assert.Equal(anchor.AddMonths(2), cancelled.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_refund_marks_the_payment_refunded_and_ends_the_sponsorship()
    {
        var (_, fan, checkout) = await fixture.CheckoutAsync();
        var invoice = NewId("in");
        var subscription = await fixture.PayAsync(checkout, invoice);
        var paymentIntent = NewId("pi");
        var charge = NewId("ch");
        fixture.Stripe.InvoiceOfPaymentIntent[paymentIntent] = invoice;
        Assert.Contains(checkout.PayerId.ToString(), await SponsorshipFixture.SponsorIdsAsync(fan, checkout.ChannelId));

        // Part of the money back: the payment and the sponsorship stand.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("charge.refunded", Charge(charge, paymentIntent, 500, 200))));
        Assert.Equal("SUCCESS", await fixture.TransactionStatusAsync(checkout.TransactionId));
        Assert.Equal(paymentIntent, await fixture.ScalarAsync<string>("SELECT stripe_payment_intent_id FROM transactions WHERE transaction_id = @t", ("t", checkout.TransactionId)));
        var lookup = Assert.Single(fixture.Stripe.RequestsTo("GET", "/v1/invoice_payments"), r => r.Form.GetValueOrDefault("payment[payment_intent]") == paymentIntent);
        Assert.Equal("payment_intent", lookup.Form["payment[type]"]);

        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("charge.refunded", Charge(charge, paymentIntent, 500, 500))));
        Assert.Equal("REFUNDED", await fixture.TransactionStatusAsync(checkout.TransactionId));
        Assert.Equal("ENDED", (await SponsorshipFixture.MySponsorshipAsync(fan, checkout.ChannelId))!.Value.GetProperty("status").GetString());
        Assert.DoesNotContain(checkout.PayerId.ToString(), await SponsorshipFixture.SponsorIdsAsync(fan, checkout.ChannelId));

        // A redelivered "paid" (another event about the same invoice) does not bring it back.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("invoice.paid", Invoice(checkout, invoice, subscription, "subscription_create"))));
        Assert.Equal("REFUNDED", await fixture.TransactionStatusAsync(checkout.TransactionId));
        Assert.Equal("ENDED", (await SponsorshipFixture.MySponsorshipAsync(fan, checkout.ChannelId))!.Value.GetProperty("status").GetString());

        var history = await HistoryAsync(checkout.TransactionId);
        Assert.Equal(["->PENDING", "PENDING->SUCCESS", "SUCCESS->REFUNDED"], history);
    }

    [Fact]
    public async Task A_refund_of_an_invoice_not_recorded_yet_is_refused_for_redelivery_then_applied()
    {
        var (_, _, checkout) = await fixture.CheckoutAsync();
        var invoice = NewId("in");
        var paymentIntent = NewId("pi");
        fixture.Stripe.InvoiceOfPaymentIntent[paymentIntent] = invoice;
        var refund = Event("charge.refunded", Charge(NewId("ch"), paymentIntent, 500, 500));

        Assert.Equal(HttpStatusCode.InternalServerError, await DeliverSignedAsync(fixture.Http, refund));
        var refundId = System.Text.Json.JsonDocument.Parse(refund).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(0, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM stripe_events WHERE event_id = @id", ("id", refundId)));
        Assert.Equal("PENDING", await fixture.TransactionStatusAsync(checkout.TransactionId));

        await fixture.PayAsync(checkout, invoice);
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, refund));
        Assert.Equal("REFUNDED", await fixture.TransactionStatusAsync(checkout.TransactionId));
    }

    [Fact]
    public async Task Expired_and_failed_checkouts_are_recorded_without_sponsoring()
    {
        var (streamer, _, expiring) = await fixture.CheckoutAsync();
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("checkout.session.expired", Session(expiring, "expired", "unpaid"))));
        Assert.Equal("EXPIRED", await fixture.TransactionStatusAsync(expiring.TransactionId));

        var fan = fixture.CreateClient();
        await fan.RegisterAsync();
        var debit = await fixture.OpenCheckoutAsync(fan, expiring.PlanId.ToString());
        // A bank debit: the checkout completes unpaid, and the money never arrives.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("checkout.session.completed", Session(debit, "complete", "unpaid", NewId("sub")))));
        Assert.Equal("PENDING", await fixture.TransactionStatusAsync(debit.TransactionId));
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("checkout.session.async_payment_failed", Session(debit, "complete", "unpaid"))));
        Assert.Equal("FAILED", await fixture.TransactionStatusAsync(debit.TransactionId));

        Assert.Equal(0, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM sponsorships WHERE channel_id = @c", ("c", expiring.ChannelId)));
        Assert.Empty(await SponsorshipFixture.SponsorIdsAsync(streamer, expiring.ChannelId));
        Assert.Equal(["->PENDING", "PENDING->FAILED"], await HistoryAsync(debit.TransactionId));

        // Events for payments that are not ours (other integrations on the account) are acknowledged and ignored.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.subscription.deleted", new Dictionary<string, object?>
        {
            ["id"] = NewId("sub"),
            ["object"] = "subscription",
            ["metadata"] = new Dictionary<string, string>(),
            ["status"] = "canceled",
        })));
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.created", new Dictionary<string, object?> { ["id"] = NewId("cus"), ["object"] = "customer" })));
    }

    private async Task<List<string>> HistoryAsync(Guid transactionId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT coalesce(from_status, '') || '->' || to_status FROM transaction_events WHERE transaction_id = @t ORDER BY id");
        command.Parameters.AddWithValue("t", transactionId);
        await using var reader = await command.ExecuteReaderAsync();
        var history = new List<string>();
        while (await reader.ReadAsync())
        {
            history.Add(reader.GetString(0));
        }

        return history;
    }
}
