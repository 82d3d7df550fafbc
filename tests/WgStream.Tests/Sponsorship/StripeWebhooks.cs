using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WgStream.Tests.Sponsorship;

/// <summary>
/// Builds Stripe events shaped like the API version Stripe.net 53 speaks, signs them the way
/// Stripe does (<c>t=...,v1=HMAC-SHA256(secret, "{t}.{payload}")</c>) and delivers them.
/// </summary>
public static class StripeWebhooks
{
    public const string Secret = "whsec_wgStreamTestSecret0123456789abcdef";

    public static string Sign(string payload, DateTimeOffset at, string secret = Secret)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    public static async Task<HttpStatusCode> DeliverAsync(HttpClient http, string payload, string? signature) =>
        (await DeliverReadingAsync(http, payload, signature)).Status;

    /// <summary>Delivers and returns the answer's status and body.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> DeliverReadingAsync(HttpClient http, string payload, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/stripe")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Task<HttpStatusCode> DeliverSignedAsync(HttpClient http, string payload) =>
        DeliverAsync(http, payload, Sign(payload, DateTimeOffset.UtcNow));

    /// <summary>What Stripe sends when a checkout is paid: checkout.session.completed (paid), then the first invoice.paid; returns the subscription id.</summary>
    public static async Task<string> PayAsync(HttpClient http, Checkout checkout, string? invoiceId = null, long amount = 500, string currency = "usd")
    {
        var subscription = NewId("sub");
        invoiceId ??= NewId("in");
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(http, Event(
            "checkout.session.completed", Session(checkout, "complete", "paid", subscription, invoiceId, amount, currency))));
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(http, Event(
            "invoice.paid", Invoice(checkout, invoiceId, subscription, "subscription_create", amount, currency))));
        return subscription;
    }

    public static string Event(string type, object dataObject, string? id = null, DateTimeOffset? created = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id ?? NewId("evt"),
            ["object"] = "event",
            ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
            ["created"] = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            ["data"] = new Dictionary<string, object?> { ["object"] = dataObject },
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new Dictionary<string, object?> { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
        });

    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 25)];

    public static Dictionary<string, object?> Session(
        Checkout checkout, string status, string paymentStatus, string? subscriptionId = null, string? invoiceId = null, long amount = 500, string currency = "usd") => new()
        {
            ["id"] = checkout.SessionId,
            ["object"] = "checkout.session",
            ["amount_subtotal"] = amount,
            ["amount_total"] = amount,
            ["client_reference_id"] = checkout.TransactionId.ToString(),
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60,
            ["currency"] = currency,
            ["customer"] = "cus_T3stCustomer0001",
            ["expires_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600,
            ["invoice"] = invoiceId,
            ["livemode"] = false,
            ["metadata"] = checkout.Metadata,
            ["mode"] = "subscription",
            ["payment_intent"] = null,
            ["payment_status"] = paymentStatus,
            ["status"] = status,
            ["subscription"] = subscriptionId,
            ["url"] = status == "open" ? $"https://checkout.stripe.com/c/pay/{checkout.SessionId}" : null,
        };

    /// <summary>An invoice of the checkout's subscription; the subscription metadata (our ids) is repeated under parent.subscription_details.</summary>
    public static Dictionary<string, object?> Invoice(
        Checkout checkout, string invoiceId, string subscriptionId, string billingReason, long amountPaid = 500, string currency = "usd") => new()
        {
            ["id"] = invoiceId,
            ["object"] = "invoice",
            ["amount_due"] = amountPaid,
            ["amount_paid"] = amountPaid,
            ["amount_remaining"] = 0,
            ["billing_reason"] = billingReason,
            ["collection_method"] = "charge_automatically",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 30,
            ["currency"] = currency,
            ["customer"] = "cus_T3stCustomer0001",
            ["livemode"] = false,
            ["metadata"] = new Dictionary<string, string>(),
            ["parent"] = new Dictionary<string, object?>
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new Dictionary<string, object?> { ["metadata"] = checkout.Metadata, ["subscription"] = subscriptionId },
            },
            ["status"] = "paid",
            ["total"] = amountPaid,
        };

    public static Dictionary<string, object?> Subscription(Checkout checkout, string subscriptionId, string status) => new()
    {
        ["id"] = subscriptionId,
        ["object"] = "subscription",
        ["cancel_at_period_end"] = false,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 120,
        ["currency"] = "usd",
        ["customer"] = "cus_T3stCustomer0001",
        ["livemode"] = false,
        ["metadata"] = checkout.Metadata,
        ["status"] = status,
    };

    public static Dictionary<string, object?> Charge(string chargeId, string paymentIntentId, long amount, long amountRefunded) => new()
    {
        ["id"] = chargeId,
        ["object"] = "charge",
        ["amount"] = amount,
        ["amount_captured"] = amount,
        ["amount_refunded"] = amountRefunded,
        ["captured"] = true,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 90,
        ["currency"] = "usd",
        ["customer"] = "cus_T3stCustomer0001",
        ["livemode"] = false,
        ["paid"] = true,
        ["payment_intent"] = paymentIntentId,
        ["refunded"] = amountRefunded == amount,
        ["status"] = "succeeded",
    };
}

/// <summary>A checkout as the fake Stripe server received it: what the platform sent is what events carry back.</summary>
public sealed record Checkout(Guid TransactionId, string SessionId, string Url, Guid ChannelId, Guid PlanId, Guid PayerId, IReadOnlyDictionary<string, string> Metadata);
