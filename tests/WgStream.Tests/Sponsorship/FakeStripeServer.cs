using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WgStream.Tests.Sponsorship;

/// <summary>
/// A local stand-in for the Stripe API on a loopback port (Kestrel), for the endpoints the platform
/// calls. It checks what Stripe checks — the secret key in <c>Authorization: Bearer</c>, the
/// <c>Stripe-Version</c>, form-encoded bodies with the required fields, an <c>Idempotency-Key</c>
/// on every POST (replaying the first answer for a repeated key, refusing a key reused with other
/// parameters) — and answers with objects shaped like Stripe's. Every request is recorded, so
/// tests can assert exactly what went over the wire; refused ones are listed in <see cref="Refusals"/>.
/// Subscriptions that tests put here (<see cref="AddSubscription"/>, as Stripe creates one when a
/// checkout is paid) can be retrieved, updated and cancelled as on Stripe: DELETE takes its
/// parameters in the query string and no idempotency key (Stripe ignores one there), and a cancelled
/// subscription refuses updates and answers a second cancel with "No such subscription" (answers
/// about an object's state, which are not counted as refusals).
/// </summary>
public sealed class FakeStripeServer : IAsyncDisposable
{
    public const string SecretKey = "sk_test_51WgStreamFakeKey0000000000000000";

    private readonly ConcurrentDictionary<string, (string Fingerprint, int Status, string Body)> idempotency = new();
    private readonly ConcurrentDictionary<string, JsonObjectBuilder> products = new();
    private readonly ConcurrentDictionary<string, string> prices = new();
    private readonly ConcurrentDictionary<string, (StripeRequest Request, string Url)> sessions = new();
    private WebApplication? app;
    private int counter;

    /// <summary>Subscriptions by id; each is changed under its own lock.</summary>
    private readonly ConcurrentDictionary<string, JsonObjectBuilder> subscriptions = new();

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<StripeRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Which invoice each payment intent paid (what <c>GET /v1/invoice_payments</c> reports); tests fill it in as Stripe would.</summary>
    public ConcurrentDictionary<string, string> InvoiceOfPaymentIntent { get; } = new();

    /// <summary>When set, every request fails with this status (an outage).</summary>
    public int? FailWith { get; set; }

    /// <summary>When set, asked about every request: a status to fail it with (a partial outage), or null to serve it.</summary>
    public Func<StripeRequest, int?>? FailWhen { get; set; }

    /// <summary>
    /// An active monthly subscription with the checkout's metadata, as Stripe creates when a
    /// checkout is paid; its period runs a month from now.
    /// </summary>
    public void AddSubscription(string subscriptionId, Checkout checkout, long amount = 500, string currency = "usd")
    {
        var start = Now;
        var end = DateTimeOffset.FromUnixTimeSeconds(start).AddMonths(1).ToUnixTimeSeconds();
        subscriptions[subscriptionId] = new JsonObjectBuilder
        {
            ["id"] = subscriptionId,
            ["object"] = "subscription",
            ["billing_cycle_anchor"] = start,
            ["cancel_at"] = null,
            ["cancel_at_period_end"] = false,
            ["canceled_at"] = null,
            ["cancellation_details"] = new JsonObjectBuilder { ["comment"] = null, ["feedback"] = null, ["reason"] = null },
            ["collection_method"] = "charge_automatically",
            ["created"] = start,
            ["currency"] = currency,
            ["customer"] = "cus_T3stCustomer0001",
            ["ended_at"] = null,
            ["items"] = new JsonObjectBuilder
            {
                ["object"] = "list",
                ["data"] = new List<JsonObjectBuilder>
                {
                    new()
                    {
                        ["id"] = NextId("si"),
                        ["object"] = "subscription_item",
                        ["created"] = start,
                        ["current_period_end"] = end,
                        ["current_period_start"] = start,
                        ["metadata"] = new JsonObjectBuilder(),
                        ["price"] = new JsonObjectBuilder
                        {
                            ["id"] = NextId("price"),
                            ["object"] = "price",
                            ["currency"] = currency,
                            ["recurring"] = new JsonObjectBuilder { ["interval"] = "month", ["interval_count"] = 1 },
                            ["type"] = "recurring",
                            ["unit_amount"] = amount,
                        },
                        ["quantity"] = 1,
                        ["subscription"] = subscriptionId,
                    },
                },
                ["has_more"] = false,
                ["url"] = $"/v1/subscription_items?subscription={subscriptionId}",
            },
            ["livemode"] = false,
            ["metadata"] = checkout.Metadata.ToDictionary(m => m.Key, m => (object?)m.Value),
            ["start_date"] = start,
            ["status"] = "active",
        };
    }

    /// <summary>The subscription as Stripe would put it in an event now (a copy).</summary>
    public Dictionary<string, object?> Subscription(string subscriptionId)
    {
        var subscription = subscriptions[subscriptionId];
        lock (subscription)
        {
            return JsonSerializer.Deserialize<Dictionary<string, object?>>(subscription.ToJson())!;
        }
    }

    /// <summary>A change made outside the platform, as in the customer portal or the dashboard: renewal off (true) or on.</summary>
    public void SetCancelAtPeriodEnd(string subscriptionId, bool cancel)
    {
        var subscription = subscriptions[subscriptionId];
        lock (subscription)
        {
            ApplyCancelAtPeriodEnd(subscription, cancel);
        }
    }

    /// <summary>Cancelled at once outside the platform (the dashboard, or Stripe after failed renewals).</summary>
    public void CancelSubscription(string subscriptionId)
    {
        var subscription = subscriptions[subscriptionId];
        lock (subscription)
        {
            Cancel(subscription, comment: null);
        }
    }

    public IReadOnlyList<StripeRequest> RequestsTo(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    /// <summary>The checkout session this server created with that id, with the ids the platform sent in its metadata.</summary>
    public Checkout Checkout(string sessionId)
    {
        Assert.True(sessions.TryGetValue(sessionId, out var session), $"The fake Stripe server created no checkout session {sessionId}.");
        var metadata = session.Request.Form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal))
            .ToDictionary(f => f.Key["metadata[".Length..^1], f => f.Value);
        return new Checkout(
            Guid.Parse(session.Request.Form["client_reference_id"]),
            sessionId,
            session.Url,
            Guid.Parse(metadata["channel_id"]),
            Guid.Parse(metadata["plan_id"]),
            Guid.Parse(metadata["payer_id"]),
            metadata);
    }

    /// <summary>Where the checkout session sends the payer after paying, with <c>{CHECKOUT_SESSION_ID}</c> filled in as Stripe does.</summary>
    public Uri SuccessUrl(string sessionId) => ReturnUrl(sessionId, "success_url");

    /// <summary>Where the checkout session sends the payer who goes back without paying.</summary>
    public Uri CancelUrl(string sessionId) => ReturnUrl(sessionId, "cancel_url");

    private Uri ReturnUrl(string sessionId, string field)
    {
        Assert.True(sessions.TryGetValue(sessionId, out var session), $"The fake Stripe server created no checkout session {sessionId}.");
        return new Uri(session.Request.Form[field].Replace("{CHECKOUT_SESSION_ID}", sessionId, StringComparison.Ordinal));
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        var form = request.Method == "POST" ? Parse(body) : Parse(request.QueryString.Value ?? string.Empty);
        var recorded = new StripeRequest(
            request.Method,
            request.Path.Value ?? string.Empty,
            form,
            request.Headers.Authorization.ToString(),
            request.Headers["Idempotency-Key"].ToString(),
            request.Headers["Stripe-Version"].ToString(),
            request.ContentType);
        Requests.Enqueue(recorded);

        if ((FailWith ?? FailWhen?.Invoke(recorded)) is { } failure)
        {
            await WriteAsync(http, failure, Error("api_error", "Simulated outage."));
            return;
        }

        if (recorded.Authorization != $"Bearer {SecretKey}")
        {
            await RefuseAsync(http, 401, "invalid_request_error", $"Invalid API Key provided: {recorded.Authorization}");
            return;
        }

        if (recorded.StripeVersion != Stripe.StripeConfiguration.ApiVersion)
        {
            await RefuseAsync(http, 400, "invalid_request_error", $"Unexpected Stripe-Version {recorded.StripeVersion}");
            return;
        }

        if (request.Method == "POST")
        {
            if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
            {
                await RefuseAsync(http, 400, "invalid_request_error", $"POST bodies are form-encoded, not {request.ContentType}");
                return;
            }

            if (recorded.IdempotencyKey.Length is 0 or > 255)
            {
                await RefuseAsync(http, 400, "invalid_request_error", "This test server insists on an Idempotency-Key on every POST.");
                return;
            }

            var fingerprint = $"{request.Method} {recorded.Path}?{body}";
            if (idempotency.TryGetValue(recorded.IdempotencyKey, out var earlier))
            {
                if (earlier.Fingerprint != fingerprint)
                {
                    await RefuseAsync(http, 400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.");
                    return;
                }

                http.Response.Headers["Idempotent-Replayed"] = "true";
                await WriteAsync(http, earlier.Status, earlier.Body);
                return;
            }

            var (status, json) = Route(recorded);
            idempotency[recorded.IdempotencyKey] = (fingerprint, status, json);
            if (status >= 400 && !IsStateAnswer(json))
            {
                Refusals.Enqueue($"{recorded.Method} {recorded.Path}: {json}");
            }

            await WriteAsync(http, status, json);
            return;
        }

        var (getStatus, getJson) = Route(recorded);
        if (getStatus >= 400 && !IsStateAnswer(getJson))
        {
            Refusals.Enqueue($"{recorded.Method} {recorded.Path}: {getJson}");
        }

        await WriteAsync(http, getStatus, getJson);
    }

    private (int Status, string Json) Route(StripeRequest r)
    {
        var segments = r.Path.Trim('/').Split('/');
        return (r.Method, segments) switch
        {
            ("POST", ["v1", "products"]) => CreateProduct(r),
            ("POST", ["v1", "products", var id]) => UpdateProduct(r, id),
            ("POST", ["v1", "prices"]) => CreatePrice(r),
            ("POST", ["v1", "checkout", "sessions"]) => CreateSession(r),
            ("GET", ["v1", "invoice_payments"]) => ListInvoicePayments(r),
            ("GET", ["v1", "subscriptions", var id]) => WithSubscription(id, s => (200, s.ToJson())),
            ("POST", ["v1", "subscriptions", var id]) => WithSubscription(id, s => UpdateSubscription(r, s)),
            ("DELETE", ["v1", "subscriptions", var id]) => WithSubscription(id, s => CancelSubscription(r, s)),
            _ => (404, Error("invalid_request_error", $"Unrecognized request URL ({r.Method}: {r.Path}).")),
        };
    }

    private (int, string) CreateProduct(StripeRequest r)
    {
        if (Missing(r, "name") is { } missing)
        {
            return missing;
        }

        var id = NextId("prod");
        var product = new JsonObjectBuilder
        {
            ["id"] = id,
            ["object"] = "product",
            ["active"] = true,
            ["created"] = Now,
            ["description"] = r.Form.GetValueOrDefault("description"),
            ["livemode"] = false,
            ["metadata"] = Metadata(r.Form, "metadata"),
            ["name"] = r.Form["name"],
            ["type"] = "service",
            ["updated"] = Now,
        };
        products[id] = product;
        return (200, product.ToJson());
    }

    private (int, string) UpdateProduct(StripeRequest r, string id)
    {
        if (!products.TryGetValue(id, out var product))
        {
            return (404, Error("invalid_request_error", $"No such product: '{id}'", "id"));
        }

        if (r.Form.TryGetValue("name", out var name))
        {
            product["name"] = name;
        }

        product["updated"] = Now;
        return (200, product.ToJson());
    }

    private (int, string) CreatePrice(StripeRequest r)
    {
        if (Missing(r, "product", "currency", "unit_amount", "recurring[interval]") is { } missing)
        {
            return missing;
        }

        if (!products.ContainsKey(r.Form["product"]))
        {
            return (400, Error("invalid_request_error", $"No such product: '{r.Form["product"]}'", "product"));
        }

        if (!long.TryParse(r.Form["unit_amount"], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return (400, Error("invalid_request_error", "Invalid integer: " + r.Form["unit_amount"], "unit_amount"));
        }

        if (r.Form["recurring[interval]"] is not ("day" or "week" or "month" or "year"))
        {
            return (400, Error("invalid_request_error", "Invalid recurring[interval]", "recurring[interval]"));
        }

        var id = NextId("price");
        prices[id] = r.Form["currency"];
        var price = new JsonObjectBuilder
        {
            ["id"] = id,
            ["object"] = "price",
            ["active"] = true,
            ["billing_scheme"] = "per_unit",
            ["created"] = Now,
            ["currency"] = r.Form["currency"],
            ["livemode"] = false,
            ["metadata"] = Metadata(r.Form, "metadata"),
            ["product"] = r.Form["product"],
            ["recurring"] = new JsonObjectBuilder
            {
                ["interval"] = r.Form["recurring[interval]"],
                ["interval_count"] = int.Parse(r.Form.GetValueOrDefault("recurring[interval_count]", "1"), CultureInfo.InvariantCulture),
                ["usage_type"] = "licensed",
            },
            ["tax_behavior"] = "unspecified",
            ["type"] = "recurring",
            ["unit_amount"] = amount,
            ["unit_amount_decimal"] = amount.ToString(CultureInfo.InvariantCulture),
        };
        return (200, price.ToJson());
    }

    private (int, string) CreateSession(StripeRequest r)
    {
        if (Missing(r, "mode", "success_url", "line_items[0][price]", "line_items[0][quantity]") is { } missing)
        {
            return missing;
        }

        if (r.Form["mode"] is not ("payment" or "subscription" or "setup"))
        {
            return (400, Error("invalid_request_error", "Invalid mode", "mode"));
        }

        if (!prices.TryGetValue(r.Form["line_items[0][price]"], out var currency))
        {
            return (400, Error("invalid_request_error", $"No such price: '{r.Form["line_items[0][price]"]}'", "line_items[0][price]"));
        }

        if (r.Form.TryGetValue("expires_at", out var expires)
            && (!long.TryParse(expires, out var expiresAt) || expiresAt < Now + 1800 - 60 || expiresAt > Now + 86400))
        {
            return (400, Error("invalid_request_error", "expires_at must be 30 minutes to 24 hours from now.", "expires_at"));
        }

        var id = $"cs_test_{Guid.NewGuid():N}";
        var url = $"https://checkout.stripe.com/c/pay/{id}#fidkdWxOYHwnPyd1blpxYHZxWjA0";
        sessions[id] = (r, url);
        var session = new JsonObjectBuilder
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["amount_subtotal"] = null,
            ["amount_total"] = null,
            ["cancel_url"] = r.Form.GetValueOrDefault("cancel_url"),
            ["client_reference_id"] = r.Form.GetValueOrDefault("client_reference_id"),
            ["created"] = Now,
            ["currency"] = currency,
            ["customer"] = null,
            ["expires_at"] = r.Form.TryGetValue("expires_at", out var e) ? long.Parse(e, CultureInfo.InvariantCulture) : Now + 86400,
            ["invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = Metadata(r.Form, "metadata"),
            ["mode"] = r.Form["mode"],
            ["payment_intent"] = null,
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["subscription"] = null,
            ["success_url"] = r.Form["success_url"],
            ["url"] = url,
        };
        return (200, session.ToJson());
    }

    private (int, string) ListInvoicePayments(StripeRequest r)
    {
        if (r.Form.GetValueOrDefault("payment[type]") != "payment_intent" || !r.Form.TryGetValue("payment[payment_intent]", out var pi))
        {
            return (400, Error("invalid_request_error", "Filter by payment[type]=payment_intent and payment[payment_intent].", "payment"));
        }

        var data = new List<JsonObjectBuilder>();
        if (InvoiceOfPaymentIntent.TryGetValue(pi, out var invoice))
        {
            data.Add(new JsonObjectBuilder
            {
                ["id"] = NextId("inpay"),
                ["object"] = "invoice_payment",
                ["amount_paid"] = 500,
                ["amount_requested"] = 500,
                ["created"] = Now,
                ["currency"] = "usd",
                ["invoice"] = invoice,
                ["is_default"] = true,
                ["livemode"] = false,
                ["payment"] = new JsonObjectBuilder { ["type"] = "payment_intent", ["payment_intent"] = pi },
                ["status"] = "paid",
                ["status_transitions"] = new JsonObjectBuilder { ["canceled_at"] = null, ["paid_at"] = Now },
            });
        }

        var list = new JsonObjectBuilder { ["object"] = "list", ["data"] = data, ["has_more"] = false, ["url"] = "/v1/invoice_payments" };
        return (200, list.ToJson());
    }

    private const string CanceledUpdateMessage = "A canceled subscription can only update its cancellation_details and metadata.";

    /// <summary>
    /// Stripe's answers about an object's state to a well-formed request (no such object, a
    /// cancelled subscription refusing changes): part of the conversation, not refusals.
    /// </summary>
    private static bool IsStateAnswer(string json) =>
        json.Contains("\"code\":\"resource_missing\"", StringComparison.Ordinal) || json.Contains(CanceledUpdateMessage, StringComparison.Ordinal);

    private (int, string) WithSubscription(string id, Func<JsonObjectBuilder, (int, string)> handle)
    {
        if (!subscriptions.TryGetValue(id, out var subscription))
        {
            return NoSuchSubscription(id);
        }

        lock (subscription)
        {
            return handle(subscription);
        }
    }

    private static (int, string) UpdateSubscription(StripeRequest r, JsonObjectBuilder subscription)
    {
        if (r.Form.Keys.FirstOrDefault(k => k != "cancel_at_period_end" && !k.StartsWith("metadata[", StringComparison.Ordinal)) is { } unknown)
        {
            return (400, Error("invalid_request_error", $"Received unknown parameter: {unknown}", unknown));
        }

        if (IsCanceled(subscription))
        {
            return (400, Error("invalid_request_error", CanceledUpdateMessage));
        }

        if (r.Form.TryGetValue("cancel_at_period_end", out var value))
        {
            if (value is not ("true" or "false"))
            {
                return (400, Error("invalid_request_error", $"Invalid boolean: {value}", "cancel_at_period_end"));
            }

            ApplyCancelAtPeriodEnd(subscription, value == "true");
        }

        return (200, subscription.ToJson());
    }

    /// <summary>What Stripe does to a subscription set to cancel at the period end (and back): <c>cancel_at</c> follows, as does the reason.</summary>
    private static void ApplyCancelAtPeriodEnd(JsonObjectBuilder subscription, bool cancel)
    {
        var item = ((List<JsonObjectBuilder>)((JsonObjectBuilder)subscription["items"]!)["data"]!)[0];
        subscription["cancel_at_period_end"] = cancel;
        subscription["cancel_at"] = cancel ? item["current_period_end"] : null;
        subscription["canceled_at"] = cancel ? Now : null;
        ((JsonObjectBuilder)subscription["cancellation_details"]!)["reason"] = cancel ? "cancellation_requested" : null;
    }

    private static (int, string) CancelSubscription(StripeRequest r, JsonObjectBuilder subscription)
    {
        if (r.Form.Keys.FirstOrDefault(k => k is not ("cancellation_details[comment]" or "cancellation_details[feedback]" or "invoice_now" or "prorate")) is { } unknown)
        {
            return (400, Error("invalid_request_error", $"Received unknown parameter: {unknown}", unknown));
        }

        // Stripe treats a cancelled subscription as gone for this call.
        if (IsCanceled(subscription))
        {
            return NoSuchSubscription((string)subscription["id"]!);
        }

        Cancel(subscription, r.Form.GetValueOrDefault("cancellation_details[comment]"));
        return (200, subscription.ToJson());
    }

    private static void Cancel(JsonObjectBuilder subscription, string? comment)
    {
        subscription["status"] = "canceled";
        subscription["canceled_at"] = Now;
        subscription["ended_at"] = Now;
        var details = (JsonObjectBuilder)subscription["cancellation_details"]!;
        details["comment"] = comment;
        details["reason"] = "cancellation_requested";
    }

    private static bool IsCanceled(JsonObjectBuilder subscription) => (string)subscription["status"]! == "canceled";

    private static (int, string) NoSuchSubscription(string id) =>
        (404, JsonSerializer.Serialize(new { error = new { code = "resource_missing", type = "invalid_request_error", message = $"No such subscription: '{id}'", param = "id" } }));

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static (int, string)? Missing(StripeRequest r, params string[] fields) =>
        fields.FirstOrDefault(f => string.IsNullOrEmpty(r.Form.GetValueOrDefault(f))) is { } field
            ? (400, Error("invalid_request_error", $"Missing required param: {field}.", field))
            : null;

    private static JsonObjectBuilder Metadata(IReadOnlyDictionary<string, string> form, string prefix)
    {
        var metadata = new JsonObjectBuilder();
        foreach (var (key, value) in form)
        {
            if (key.StartsWith(prefix + "[", StringComparison.Ordinal) && key.EndsWith(']') && key.IndexOf('[', prefix.Length + 1) < 0)
            {
                metadata[key[(prefix.Length + 1)..^1]] = value;
            }
        }

        return metadata;
    }

    private static Dictionary<string, string> Parse(string encoded) =>
        QueryHelpers.ParseQuery(encoded).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    private static string Error(string type, string message, string? param = null) =>
        JsonSerializer.Serialize(new { error = new { type, message, param } });

    private async Task RefuseAsync(HttpContext http, int status, string type, string message)
    {
        Refusals.Enqueue(message);
        await WriteAsync(http, status, Error(type, message));
    }

    private async Task WriteAsync(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.Headers["Request-Id"] = $"req_{Interlocked.Increment(ref counter)}";
        await http.Response.WriteAsync(json);
    }

    private string NextId(string prefix) => $"{prefix}_{Interlocked.Increment(ref counter):D6}{Guid.NewGuid():N}"[..(prefix.Length + 25)];

    /// <summary>An ordered JSON object whose members may change (a product's name).</summary>
    private sealed class JsonObjectBuilder : Dictionary<string, object?>
    {
        public string ToJson() => JsonSerializer.Serialize(this);
    }
}

/// <summary>One request as received: the form fields (or query) flattened with Stripe's bracket keys, such as <c>metadata[plan_id]</c>.</summary>
public sealed record StripeRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Form,
    string Authorization,
    string IdempotencyKey,
    string StripeVersion,
    string? ContentType);
