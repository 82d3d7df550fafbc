using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Gateways.Stripe;

/// <summary>What a Checkout Session is opened for; the channel's username goes into the return URLs.</summary>
public sealed record CheckoutRequest(Guid TransactionId, Guid ChannelId, string ChannelUsername, Guid PlanId, Guid PayerId, string PriceId, DateTimeOffset ExpiresAt);

/// <summary>
/// Whether a subscription will renew: <see cref="Ended"/> once it is cancelled for good (or unknown
/// to Stripe); otherwise <see cref="Renews"/> unless it is set to cancel, at the period end
/// (<c>cancel_at_period_end</c>) or at a set time (<c>cancel_at</c>, which the customer portal may use).
/// </summary>
public sealed record SubscriptionRenewal(bool Ended, bool Renews)
{
    public static SubscriptionRenewal Gone { get; } = new(true, false);

    public static SubscriptionRenewal Of(Subscription subscription)
    {
        var ended = subscription.Status is "canceled" or "incomplete_expired";
        return new(ended, !ended && !subscription.CancelAtPeriodEnd && subscription.CancelAt is null);
    }
}

/// <summary>
/// The Stripe API through Stripe.net, at <see cref="StripeOptions.ApiBase"/> when set. Every write
/// carries an idempotency key; failures become an INTERNAL <see cref="WgException"/> with a
/// message fit for users, the details going to the log.
/// </summary>
public sealed partial class StripeGateway(IOptions<StripeOptions> options, ILogger<StripeGateway> logger)
{
    private readonly Lazy<IStripeClient?> client = new(() => CreateClient(options.Value));

    public async Task<string> CreateProductAsync(SponsorshipPlan plan, string idempotencyKey)
    {
        var product = await CallAsync("create product", () => new ProductService(Client).CreateAsync(
            new ProductCreateOptions
            {
                Name = plan.Title,
                Description = plan.Description.Length > 0 ? plan.Description : null,
                Metadata = new Dictionary<string, string>
                {
                    ["plan_id"] = plan.Id.ToString(),
                    ["channel_id"] = plan.ChannelId.ToString(),
                },
            },
            new RequestOptions { IdempotencyKey = idempotencyKey }));
        return product.Id;
    }

    public Task RenameProductAsync(string productId, string name, string idempotencyKey) =>
        CallAsync("rename product", () => new ProductService(Client).UpdateAsync(
            productId,
            new ProductUpdateOptions { Name = name },
            new RequestOptions { IdempotencyKey = idempotencyKey }));

    /// <summary>A recurring monthly price of the plan's amount (minor units) and currency, on its Stripe product.</summary>
    public async Task<string> CreateMonthlyPriceAsync(SponsorshipPlan plan, string productId, int priceVersion, string idempotencyKey)
    {
        var price = await CallAsync("create price", () => new PriceService(Client).CreateAsync(
            new PriceCreateOptions
            {
                Product = productId,
                Currency = plan.Currency,
                UnitAmount = plan.Price,
                Recurring = new PriceRecurringOptions { Interval = "month", IntervalCount = 1 },
                Metadata = new Dictionary<string, string>
                {
                    ["plan_id"] = plan.Id.ToString(),
                    ["price_version"] = priceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            },
            new RequestOptions { IdempotencyKey = idempotencyKey }));
        return price.Id;
    }

    /// <summary>
    /// A subscription checkout for one unit of the price. Our ids travel in <c>client_reference_id</c>
    /// and metadata, and in the subscription's metadata, which Stripe repeats on every invoice.
    /// </summary>
    public async Task<(string Id, string Url)> CreateCheckoutSessionAsync(CheckoutRequest request)
    {
        var metadata = new Dictionary<string, string>
        {
            ["transaction_id"] = request.TransactionId.ToString(),
            ["channel_id"] = request.ChannelId.ToString(),
            ["plan_id"] = request.PlanId.ToString(),
            ["payer_id"] = request.PayerId.ToString(),
        };
        var session = await CallAsync("create checkout session", () => new SessionService(Client).CreateAsync(
            new SessionCreateOptions
            {
                Mode = "subscription",
                LineItems = [new SessionLineItemOptions { Price = request.PriceId, Quantity = 1 }],
                SuccessUrl = StripeOptions.ForChannel(options.Value.SuccessUrl, request.ChannelUsername),
                CancelUrl = StripeOptions.ForChannel(options.Value.CancelUrl, request.ChannelUsername),
                ClientReferenceId = request.TransactionId.ToString(),
                Metadata = metadata,
                SubscriptionData = new SessionSubscriptionDataOptions { Metadata = new Dictionary<string, string>(metadata) },
                ExpiresAt = request.ExpiresAt.UtcDateTime,
            },
            new RequestOptions { IdempotencyKey = $"wg-checkout-{request.TransactionId:N}" }));
        return session.Url is { Length: > 0 } url
            ? (session.Id, url)
            : throw Unavailable("create checkout session", new InvalidOperationException($"Session {session.Id} came back without a URL."));
    }

    /// <summary>The invoice a payment intent paid, or null when it paid none (not a subscription payment).</summary>
    public async Task<string?> FindInvoiceOfPaymentIntentAsync(string paymentIntentId)
    {
        var payments = await CallAsync("list invoice payments", () => new InvoicePaymentService(Client).ListAsync(
            new InvoicePaymentListOptions
            {
                Payment = new InvoicePaymentPaymentOptions { Type = "payment_intent", PaymentIntent = paymentIntentId },
                Limit = 1,
            }));
        return payments.Data.FirstOrDefault()?.InvoiceId;
    }

    /// <summary>
    /// Turns renewal off (<c>cancel_at_period_end=true</c>: the subscription ends with the period
    /// paid for) or back on. Setting a value is naturally repeatable; the key makes Stripe.net's own
    /// network retry of this one call safe. A subscription that has ended on Stripe (which refuses
    /// updates to it) comes back as <see cref="SubscriptionRenewal.Gone"/>.
    /// </summary>
    public async Task<SubscriptionRenewal> SetCancelAtPeriodEndAsync(string subscriptionId, bool cancel, string idempotencyKey)
    {
        const string what = "update subscription";
        try
        {
            var subscription = await new SubscriptionService(Client).UpdateAsync(
                subscriptionId,
                new SubscriptionUpdateOptions { CancelAtPeriodEnd = cancel },
                new RequestOptions { IdempotencyKey = idempotencyKey });
            return SubscriptionRenewal.Of(subscription);
        }
        catch (StripeException e) when (e.StripeError?.Type == "invalid_request_error")
        {
            // Refused: cancelled subscriptions only take metadata, missing ones nothing. Which of
            // those (or something else) it was, the subscription itself says.
            var current = await GetSubscriptionAsync(subscriptionId);
            return current is null or { Ended: true } ? SubscriptionRenewal.Gone : throw Unavailable(what, e);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException)
        {
            throw Unavailable(what, e);
        }
    }

    /// <summary>The subscription's renewal as Stripe has it now, or null when Stripe does not know it.</summary>
    public async Task<SubscriptionRenewal?> GetSubscriptionAsync(string subscriptionId)
    {
        try
        {
            return SubscriptionRenewal.Of(await new SubscriptionService(Client).GetAsync(subscriptionId));
        }
        catch (StripeException e) when (IsMissing(e))
        {
            return null;
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException)
        {
            throw Unavailable("retrieve subscription", e);
        }
    }

    /// <summary>
    /// Cancels the subscription at once (<c>DELETE /v1/subscriptions/{id}</c>): no further invoices.
    /// Returns false when there was nothing left to cancel. Stripe answers a cancel of a cancelled
    /// subscription with "No such subscription" (404), so that answer is checked with a retrieve:
    /// cancelled, or unknown to Stripe altogether, means nothing can be charged. DELETE takes no
    /// idempotency key (Stripe ignores one there); repeating it is safe for the reason above.
    /// Anything else throws (INTERNAL), so the caller can try again later.
    /// </summary>
    public async Task<bool> CancelSubscriptionAsync(string subscriptionId, string comment)
    {
        const string what = "cancel subscription";
        try
        {
            await new SubscriptionService(Client).CancelAsync(
                subscriptionId,
                new SubscriptionCancelOptions { CancellationDetails = new SubscriptionCancellationDetailsOptions { Comment = comment } });
            return true;
        }
        catch (StripeException e) when (IsMissing(e))
        {
            switch (await GetSubscriptionAsync(subscriptionId))
            {
                case null:
                    LogUnknownSubscription(subscriptionId);
                    return false;
                case { Ended: true }:
                    return false;
                default:
                    throw Unavailable(what, e);
            }
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException)
        {
            throw Unavailable(what, e);
        }
    }

    private static bool IsMissing(StripeException e) =>
        e.HttpStatusCode == System.Net.HttpStatusCode.NotFound && e.StripeError?.Code == "resource_missing";

    private IStripeClient Client => client.Value
        ?? throw new WgException(ErrorCodes.Internal, "Sponsorships are not available: payments are not configured on this server.");

    private static IStripeClient? CreateClient(StripeOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            return null;
        }

        // One retry on network errors and 409/5xx (Stripe.net resends the same idempotency key),
        // all within a deadline shorter than a grain call's.
        var http = new SystemNetHttpClient(
            new HttpClient { Timeout = options.RequestTimeout / 2 },
            maxNetworkRetries: 1,
            appInfo: null,
            enableTelemetry: false);
        return new StripeClient(
            options.SecretKey,
            httpClient: http,
            apiBase: string.IsNullOrWhiteSpace(options.ApiBase) ? null : options.ApiBase.TrimEnd('/'));
    }

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException)
        {
            throw Unavailable(what, e);
        }
    }

    private WgException Unavailable(string what, Exception e)
    {
        LogCallFailed(e, what);
        return new WgException(ErrorCodes.Internal, "The payment provider could not be reached; try again in a moment.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe does not know subscription {SubscriptionId} (another account, or test and live keys mixed?); nothing there to cancel")]
    private partial void LogUnknownSubscription(string subscriptionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe call failed: {What}")]
    private partial void LogCallFailed(Exception exception, string what);
}
