using Stripe;
using Stripe.Checkout;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Gateways.Stripe;

/// <summary>Turns a verified Stripe event into the <see cref="PaymentEvent"/> the ledger applies (null for types we do not act on).</summary>
public static class StripeEventMapper
{
    public static PaymentEvent? Map(Event stripeEvent)
    {
        if (!StripeEventTypes.Handled.Contains(stripeEvent.Type))
        {
            return null;
        }

        var common = new PaymentEvent
        {
            EventId = stripeEvent.Id,
            Type = stripeEvent.Type,
            Created = new DateTimeOffset(DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc)),
        };
        return stripeEvent.Data.Object switch
        {
            Session session => WithIds(common, session.Metadata, session.ClientReferenceId) with
            {
                CheckoutSessionId = session.Id,
                SubscriptionId = session.SubscriptionId,
                InvoiceId = session.InvoiceId,
                PaymentStatus = session.PaymentStatus,
                Amount = session.AmountTotal,
                Currency = session.Currency,
            },
            // Since the 2025-03-31 API the subscription (and a snapshot of its metadata) hangs off invoice.parent.
            Invoice invoice => WithIds(common, invoice.Parent?.SubscriptionDetails?.Metadata ?? invoice.Metadata, null) with
            {
                SubscriptionId = invoice.Parent?.SubscriptionDetails?.SubscriptionId,
                InvoiceId = invoice.Id,
                BillingReason = invoice.BillingReason,
                Amount = invoice.AmountPaid,
                Currency = invoice.Currency,
            },
            Subscription subscription => WithIds(common, subscription.Metadata, null) with
            {
                SubscriptionId = subscription.Id,
                Renews = SubscriptionRenewal.Of(subscription).Renews,
            },
            Charge charge => common with
            {
                PaymentIntentId = charge.PaymentIntentId,
                FullyRefunded = charge.Refunded,
                Amount = charge.AmountRefunded,
                Currency = charge.Currency,
            },
            _ => null,
        };
    }

    private static PaymentEvent WithIds(PaymentEvent e, IDictionary<string, string>? metadata, string? clientReferenceId) => e with
    {
        TransactionId = ParseId(clientReferenceId) ?? ParseId(Value(metadata, "transaction_id")),
        ChannelId = ParseId(Value(metadata, "channel_id")),
        PlanId = ParseId(Value(metadata, "plan_id")),
        PayerId = ParseId(Value(metadata, "payer_id")),
    };

    private static string? Value(IDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) ? value : null;

    private static Guid? ParseId(string? value) => Guid.TryParse(value, out var id) ? id : null;
}
