namespace WgStream.GrainInterfaces.Sponsorship;

/// <summary>A channel's sponsorship plan. <see cref="Price"/> is in minor units of <see cref="Currency"/> (cents for usd).</summary>
[GenerateSerializer, Immutable]
public sealed record SponsorshipPlan(
    Guid Id,
    Guid ChannelId,
    string Title,
    string Description,
    long Price,
    string Currency,
    bool Archived,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

[GenerateSerializer, Immutable]
public sealed record SponsorshipPlanInput(string Title, string Description, long Price, string Currency);

/// <summary>Null fields are left as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record SponsorshipPlanUpdate(string? Title, string? Description, long? Price, string? Currency);

/// <summary>A Stripe Checkout Session to send the payer to.</summary>
[GenerateSerializer, Immutable]
public sealed record SponsorshipCheckout(Guid TransactionId, string SessionId, string Url);

public enum TransactionStatus
{
    Pending,
    Success,
    Failed,
    Expired,
    Refunded,
}

/// <summary>One payment: a checkout or a renewal. <see cref="Amount"/> is in minor units.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentTransaction(
    Guid Id,
    Guid PayerId,
    Guid ChannelId,
    Guid PlanId,
    string PlanTitle,
    long Amount,
    string Currency,
    TransactionStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public enum SponsorshipStatus
{
    Active,
    Expired,
    Ended,
}

/// <summary>
/// Who sponsors which channel, on which plan, until when. <see cref="PaidUntil"/> is the end of the
/// paid time; <see cref="ExpiresAt"/> adds the renewal grace while <see cref="AutoRenew"/> is on,
/// and equals it once renewal is off.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChannelSponsorship(
    Guid ChannelId,
    Guid PayerId,
    Guid PlanId,
    string PlanTitle,
    SponsorshipStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset ExpiresAt,
    bool AutoRenew,
    DateTimeOffset PaidUntil);

/// <summary>
/// The parts of a verified Stripe webhook event that the ledger acts on, whatever object it carried.
/// Our own ids come from the checkout's <c>client_reference_id</c> and metadata (copied by Stripe
/// to the subscription, and from there to each of its invoices).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PaymentEvent
{
    [Id(0)] public string EventId { get; init; } = string.Empty;

    [Id(1)] public string Type { get; init; } = string.Empty;

    [Id(2)] public DateTimeOffset Created { get; init; }

    [Id(3)] public Guid? TransactionId { get; init; }

    [Id(4)] public Guid? ChannelId { get; init; }

    [Id(5)] public Guid? PlanId { get; init; }

    [Id(6)] public Guid? PayerId { get; init; }

    [Id(7)] public string? CheckoutSessionId { get; init; }

    [Id(8)] public string? SubscriptionId { get; init; }

    [Id(9)] public string? InvoiceId { get; init; }

    [Id(10)] public string? PaymentIntentId { get; init; }

    /// <summary>Checkout: <c>paid</c>, <c>unpaid</c> or <c>no_payment_required</c>.</summary>
    [Id(11)] public string? PaymentStatus { get; init; }

    /// <summary>Invoice: <c>subscription_create</c> for the first one, <c>subscription_cycle</c> for renewals.</summary>
    [Id(12)] public string? BillingReason { get; init; }

    [Id(13)] public long? Amount { get; init; }

    [Id(14)] public string? Currency { get; init; }

    /// <summary>Charge: true once the whole amount is refunded (a partial refund changes nothing here).</summary>
    [Id(15)] public bool FullyRefunded { get; init; }

    /// <summary>
    /// Subscription: whether it will renew at its period end (not cancelled, neither at the period
    /// end nor at a set time). A snapshot as of the event; events may arrive out of order.
    /// </summary>
    [Id(16)] public bool? Renews { get; init; }
}

/// <summary>What applying an event did, so the caller can run the in-memory follow-ups.</summary>
[GenerateSerializer, Immutable]
public sealed record PaymentEventOutcome(bool Applied, bool Duplicate, Guid? ChannelId, Guid? PayerId);
