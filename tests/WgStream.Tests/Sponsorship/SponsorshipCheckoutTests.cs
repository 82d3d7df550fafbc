using System.Globalization;

namespace WgStream.Tests.Sponsorship;

/// <summary>Checkouts as Stripe sees them: the requests that reach the (fake) Stripe API, field by field.</summary>
[Collection(SponsorshipCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SponsorshipCheckoutTests(SponsorshipFixture fixture)
{
    private const string CheckoutMutation = "mutation($p: ID!) { createSponsorshipCheckout(planId: $p) { url sessionId transactionId } }";

    [Fact]
    public async Task A_checkout_creates_the_product_price_and_subscription_session_on_stripe()
    {
        var streamer = fixture.CreateClient();
        var owner = await streamer.RegisterAsync();
        var planId = await SponsorshipFixture.CreatePlanAsync(streamer, "Backer", 700);
        var fan = fixture.CreateClient();
        var payer = await fan.RegisterAsync();
        var before = fixture.Stripe.Requests.Count;
        var started = DateTimeOffset.UtcNow;

        var checkout = await fixture.OpenCheckoutAsync(fan, planId);

        var sent = fixture.Stripe.Requests.Skip(before).ToList();
        Assert.Equal(["POST /v1/products", "POST /v1/prices", "POST /v1/checkout/sessions"], sent.Select(r => $"{r.Method} {r.Path}"));
        Assert.All(sent, r =>
        {
            Assert.Equal($"Bearer {FakeStripeServer.SecretKey}", r.Authorization);
            Assert.Equal(Stripe.StripeConfiguration.ApiVersion, r.StripeVersion);
            Assert.StartsWith("application/x-www-form-urlencoded", r.ContentType, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(r.IdempotencyKey));
        });
        Assert.Equal(3, sent.Select(r => r.IdempotencyKey).Distinct().Count());
        Assert.Empty(fixture.Stripe.Refusals);

        var product = sent[0].Form;
        Assert.Equal("Backer", product["name"]);
        Assert.Equal("Backer tier", product["description"]);
        Assert.Equal(planId, product["metadata[plan_id]"]);
        Assert.Equal(owner.Id.ToString(), product["metadata[channel_id]"]);

        var price = sent[1].Form;
        Assert.StartsWith("prod_", price["product"], StringComparison.Ordinal);
        Assert.Equal("usd", price["currency"]);
        Assert.Equal("700", price["unit_amount"]);
        Assert.Equal("month", price["recurring[interval]"]);
        Assert.Equal("1", price["recurring[interval_count]"]);

        var session = sent[2].Form;
        Assert.Equal("subscription", session["mode"]);
        Assert.StartsWith("price_", session["line_items[0][price]"], StringComparison.Ordinal);
        Assert.Equal("1", session["line_items[0][quantity]"]);
        // Back to the channel's page: the platform fills in the username, Stripe the session id.
        Assert.Equal($"https://wg.example/{owner.Username}?sponsorship=success&session_id={{CHECKOUT_SESSION_ID}}", session["success_url"]);
        Assert.Equal($"https://wg.example/{owner.Username}?sponsorship=cancelled", session["cancel_url"]);
        Assert.Equal(checkout.TransactionId.ToString(), session["client_reference_id"]);
        foreach (var prefix in new[] { "metadata", "subscription_data[metadata]" })
        {
            Assert.Equal(checkout.TransactionId.ToString(), session[$"{prefix}[transaction_id]"]);
            Assert.Equal(owner.Id.ToString(), session[$"{prefix}[channel_id]"]);
            Assert.Equal(planId, session[$"{prefix}[plan_id]"]);
            Assert.Equal(payer.Id.ToString(), session[$"{prefix}[payer_id]"]);
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(session["expires_at"], CultureInfo.InvariantCulture));
        Assert.InRange(expiresAt - started, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        Assert.Equal($"wg-checkout-{checkout.TransactionId:N}", sent[2].IdempotencyKey);
        Assert.StartsWith("https://checkout.stripe.com/c/pay/cs_test_", checkout.Url, StringComparison.Ordinal);

        var mine = (await fan.DataAsync("{ myTransactions(first: 5) { edges { node { id status amount currency planTitle channelId } } } }"))
            .GetProperty("myTransactions").GetProperty("edges");
        var pending = Assert.Single(mine.EnumerateArray()).GetProperty("node");
        Assert.Equal(checkout.TransactionId.ToString(), pending.GetProperty("id").GetString());
        Assert.Equal("PENDING", pending.GetProperty("status").GetString());
        Assert.Equal(700, pending.GetProperty("amount").GetInt64());
        Assert.Equal("usd", pending.GetProperty("currency").GetString());
        Assert.Equal("Backer", pending.GetProperty("planTitle").GetString());
    }

    [Fact]
    public async Task An_open_checkout_is_handed_out_again_and_stripe_objects_are_reused_until_the_plan_changes()
    {
        var streamer = fixture.CreateClient();
        await streamer.RegisterAsync();
        var planId = await SponsorshipFixture.CreatePlanAsync(streamer, "Regular", 300);
        var fan = fixture.CreateClient();
        await fan.RegisterAsync();

        var first = await fixture.OpenCheckoutAsync(fan, planId);
        var sessions = fixture.Stripe.RequestsTo("POST", "/v1/checkout/sessions").Count;
        var again = (await fan.DataAsync(CheckoutMutation, new { p = planId })).GetProperty("createSponsorshipCheckout");
        Assert.Equal(first.SessionId, again.GetProperty("sessionId").GetString());
        Assert.Equal(first.Url, again.GetProperty("url").GetString());
        Assert.Equal(sessions, fixture.Stripe.RequestsTo("POST", "/v1/checkout/sessions").Count);

        var products = ForPlan("/v1/products", planId).Count;
        var prices = ForPlan("/v1/prices", planId).Count;
        var other = fixture.CreateClient();
        await other.RegisterAsync();
        var second = await fixture.OpenCheckoutAsync(other, planId);
        Assert.Equal(products, ForPlan("/v1/products", planId).Count);
        Assert.Equal(prices, ForPlan("/v1/prices", planId).Count);

        // A new price needs a new (immutable) Stripe price; a new title renames the product.
        await streamer.DataAsync("mutation($id: ID!) { updateSponsorshipPlan(id: $id, input: {price: 450, title: \"Regular+\"}) { id } }", new { id = planId });
        var third = fixture.CreateClient();
        await third.RegisterAsync();
        var renamed = fixture.Stripe.Requests.Count;
        var afterChange = await fixture.OpenCheckoutAsync(third, planId);
        var newPrice = ForPlan("/v1/prices", planId).Last();
        Assert.Equal(prices + 1, ForPlan("/v1/prices", planId).Count);
        Assert.Equal("450", newPrice.Form["unit_amount"]);
        Assert.Equal("2", newPrice.Form["metadata[price_version]"]);
        var rename = Assert.Single(fixture.Stripe.Requests.Skip(renamed), r => r.Path.StartsWith("/v1/products/prod_", StringComparison.Ordinal));
        Assert.Equal("Regular+", rename.Form["name"]);
        Assert.NotEqual(SessionOf(first.TransactionId).Form["line_items[0][price]"], SessionOf(afterChange.TransactionId).Form["line_items[0][price]"]);
        Assert.Equal(SessionOf(first.TransactionId).Form["line_items[0][price]"], SessionOf(second.TransactionId).Form["line_items[0][price]"]);

        // The first fan's open session was for the old price: a fresh one is opened for the new one.
        var renewed = (await fan.DataAsync(CheckoutMutation, new { p = planId })).GetProperty("createSponsorshipCheckout");
        Assert.NotEqual(first.SessionId, renewed.GetProperty("sessionId").GetString());
        Assert.Empty(fixture.Stripe.Refusals);
    }

    [Fact]
    public async Task Checkouts_are_refused_for_your_own_channel_archived_or_missing_plans_and_running_sponsorships()
    {
        var (streamer, fan, checkout) = await fixture.CheckoutAsync();
        var planId = checkout.PlanId.ToString();

        (await streamer.SendAsync(CheckoutMutation, new { p = planId })).AssertError("BAD_USER_INPUT");
        (await fixture.CreateClient().SendAsync(CheckoutMutation, new { p = planId })).AssertError("UNAUTHENTICATED");
        (await fan.SendAsync(CheckoutMutation, new { p = Guid.NewGuid() })).AssertError("NOT_FOUND");

        await fixture.PayAsync(checkout);
        var already = await fan.SendAsync(CheckoutMutation, new { p = planId });
        already.AssertError("BAD_USER_INPUT");
        Assert.Contains("already sponsor", already.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);

        await streamer.DataAsync("mutation($id: ID!) { archiveSponsorshipPlan(id: $id) { id } }", new { id = planId });
        var late = fixture.CreateClient();
        await late.RegisterAsync();
        (await late.SendAsync(CheckoutMutation, new { p = planId })).AssertError("BAD_USER_INPUT");
    }

    [Fact]
    public async Task When_stripe_fails_the_checkout_is_refused_and_recorded_as_failed()
    {
        var (_, _, warm) = await fixture.CheckoutAsync();
        var fan = fixture.CreateClient();
        await fan.RegisterAsync();
        fixture.Stripe.FailWith = 500;
        try
        {
            var response = await fan.SendAsync(CheckoutMutation, new { p = warm.PlanId });
            response.AssertError("INTERNAL");
            Assert.Contains("payment provider", response.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            fixture.Stripe.FailWith = null;
        }

        var failed = Assert.Single((await fan.DataAsync("{ myTransactions { edges { node { status } } } }")).GetProperty("myTransactions").GetProperty("edges").EnumerateArray());
        Assert.Equal("FAILED", failed.GetProperty("node").GetProperty("status").GetString());

        // Stripe is back: the next attempt goes through.
        var retried = await fixture.OpenCheckoutAsync(fan, warm.PlanId.ToString());
        Assert.Equal("PENDING", await fixture.TransactionStatusAsync(retried.TransactionId));
    }

    [Fact]
    public async Task Someone_the_streamer_blocked_cannot_sponsor_and_nothing_reaches_stripe_until_unblocked()
    {
        var streamer = fixture.CreateClient();
        await streamer.RegisterAsync();
        var planId = await SponsorshipFixture.CreatePlanAsync(streamer, "Backer", 500);
        var fan = fixture.CreateClient();
        var payer = await fan.RegisterAsync();
        await streamer.DataAsync("mutation($u: ID!) { blockUser(userId: $u) }", new { u = payer.Id });

        (await fan.SendAsync(CheckoutMutation, new { p = planId })).AssertError("FORBIDDEN");
        Assert.Empty(ForPlan("/v1/checkout/sessions", planId));
        Assert.Empty(ForPlan("/v1/products", planId));

        await streamer.DataAsync("mutation($u: ID!) { unblockUser(userId: $u) }", new { u = payer.Id });
        await fixture.OpenCheckoutAsync(fan, planId);
        Assert.Single(ForPlan("/v1/checkout/sessions", planId));
    }

    private StripeRequest SessionOf(Guid transactionId) =>
        fixture.Stripe.RequestsTo("POST", "/v1/checkout/sessions").Single(r => r.Form["client_reference_id"] == transactionId.ToString());

    private List<StripeRequest> ForPlan(string path, string planId) =>
        fixture.Stripe.RequestsTo("POST", path).Where(r => r.Form.GetValueOrDefault("metadata[plan_id]") == planId).ToList();
}
