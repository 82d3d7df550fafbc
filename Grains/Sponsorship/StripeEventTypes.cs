namespace WgStream.Grains.Sponsorship;

/// <summary>The Stripe event types the ledger acts on.</summary>
public static class StripeEventTypes
{
    public const string CheckoutCompleted = "checkout.session.completed";
    public const string CheckoutAsyncSucceeded = "checkout.session.async_payment_succeeded";
    public const string CheckoutAsyncFailed = "checkout.session.async_payment_failed";
    public const string CheckoutExpired = "checkout.session.expired";
    public const string InvoicePaid = "invoice.paid";
    public const string SubscriptionUpdated = "customer.subscription.updated";
    public const string SubscriptionDeleted = "customer.subscription.deleted";
    public const string ChargeRefunded = "charge.refunded";

    public static readonly IReadOnlySet<string> Handled = new HashSet<string>(StringComparer.Ordinal)
    {
        CheckoutCompleted, CheckoutAsyncSucceeded, CheckoutAsyncFailed, CheckoutExpired, InvoicePaid, SubscriptionUpdated, SubscriptionDeleted, ChargeRefunded,
    };
}
