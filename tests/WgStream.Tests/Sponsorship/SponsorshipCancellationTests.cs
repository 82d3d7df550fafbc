using System.Net;
using System.Text.Json;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Sponsorship.StripeWebhooks;

namespace WgStream.Tests.Sponsorship;

/// <summary>
/// cancelSponsorship and resumeSponsorship against the fake Stripe API (the subscription updates as
/// they go over the wire), and renewal changed on Stripe's side reported by customer.subscription.updated.
/// </summary>
[Collection(SponsorshipCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SponsorshipCancellationTests(SponsorshipFixture fixture)
{
    public const string Cancel = "mutation($c: ID!) { cancelSponsorship(channelId: $c) { channelId sponsorId status autoRenew expiresAt paidUntil } }";
    public const string Resume = "mutation($c: ID!) { resumeSponsorship(channelId: $c) { channelId sponsorId status autoRenew expiresAt paidUntil } }";

    private static readonly TimeSpan RenewalGrace = TimeSpan.FromDays(1);

    [Fact]
    public async Task A_sponsor_turns_renewal_off_and_on_again_and_stripe_is_told_field_by_field()
    {
        var (streamer, fan, checkout, subscription) = await SponsoringAsync();
        var channel = checkout.ChannelId;
        var before = await SponsorshipAsync(fan, channel);
        var paidUntil = before.GetProperty("paidUntil").GetDateTimeOffset();
        Assert.True(before.GetProperty("autoRenew").GetBoolean());
        Assert.Equal(paidUntil + RenewalGrace, before.GetProperty("expiresAt").GetDateTimeOffset());

        // Only the payer's own active sponsorship: the channel's owner and strangers find none.
        (await fixture.CreateClient().SendAsync(Cancel, new { c = channel })).AssertError("UNAUTHENTICATED");
        (await streamer.SendAsync(Cancel, new { c = channel })).AssertError("NOT_FOUND");
        var stranger = fixture.CreateClient();
        await stranger.RegisterAsync();
        (await stranger.SendAsync(Cancel, new { c = channel })).AssertError("NOT_FOUND");
        (await stranger.SendAsync(Resume, new { c = channel })).AssertError("NOT_FOUND");
        (await fan.SendAsync(Cancel, new { c = Guid.NewGuid() })).AssertError("NOT_FOUND");
        (await fan.SendAsync(Cancel, new { c = "not-an-id" })).AssertError("BAD_USER_INPUT");
        Assert.Empty(Updates(subscription));

        var cancelled = (await fan.DataAsync(Cancel, new { c = channel })).GetProperty("cancelSponsorship");
        Assert.Equal(checkout.PayerId.ToString(), cancelled.GetProperty("sponsorId").GetString());
        Assert.Equal("ACTIVE", cancelled.GetProperty("status").GetString());
        Assert.False(cancelled.GetProperty("autoRenew").GetBoolean());
        Assert.Equal(paidUntil, cancelled.GetProperty("paidUntil").GetDateTimeOffset());
        // No renewal is coming, so no grace for one: it ends with the paid period.
        Assert.Equal(paidUntil, cancelled.GetProperty("expiresAt").GetDateTimeOffset());

        var off = Assert.Single(Updates(subscription));
        Assert.Equal(new Dictionary<string, string> { ["cancel_at_period_end"] = "true" }, off.Form);
        Assert.StartsWith($"wg-renewal-off-{subscription}-", off.IdempotencyKey, StringComparison.Ordinal);
        StripeRequestAssert.SentProperly(off);
        Assert.True(Field(subscription, "cancel_at_period_end").GetBoolean());
        Assert.Equal("active", Field(subscription, "status").GetString());

        // Still a sponsor until the paid period ends, and the ledger says so.
        Assert.Contains(checkout.PayerId.ToString(), await SponsorshipFixture.SponsorIdsAsync(streamer, channel));
        Assert.False(await fixture.ScalarAsync<bool>("SELECT auto_renew FROM sponsorships WHERE stripe_subscription_id = @s", ("s", subscription)));

        // Stripe reports the change it was asked for: the ledger agrees, so nothing is looked up or changed.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.subscription.updated", fixture.Stripe.Subscription(subscription))));
        Assert.Empty(fixture.Stripe.RequestsTo("GET", $"/v1/subscriptions/{subscription}"));
        Assert.False((await SponsorshipAsync(fan, channel)).GetProperty("autoRenew").GetBoolean());

        // Again: harmless; Stripe is told the same under a key of its own.
        var again = (await fan.DataAsync(Cancel, new { c = channel })).GetProperty("cancelSponsorship");
        Assert.False(again.GetProperty("autoRenew").GetBoolean());
        Assert.Equal(paidUntil, again.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(2, Updates(subscription).Count);
        Assert.Equal(2, Updates(subscription).Select(u => u.IdempotencyKey).Distinct().Count());

        // Back on while still active: the renewal grace returns.
        var resumed = (await fan.DataAsync(Resume, new { c = channel })).GetProperty("resumeSponsorship");
        Assert.Equal("ACTIVE", resumed.GetProperty("status").GetString());
        Assert.True(resumed.GetProperty("autoRenew").GetBoolean());
        Assert.Equal(paidUntil + RenewalGrace, resumed.GetProperty("expiresAt").GetDateTimeOffset());
        var on = Updates(subscription)[^1];
        Assert.Equal(new Dictionary<string, string> { ["cancel_at_period_end"] = "false" }, on.Form);
        Assert.StartsWith($"wg-renewal-on-{subscription}-", on.IdempotencyKey, StringComparison.Ordinal);
        StripeRequestAssert.SentProperly(on);
        Assert.False(Field(subscription, "cancel_at_period_end").GetBoolean());
        Assert.Null(fixture.Stripe.Subscription(subscription)["cancel_at"]);
        Assert.True((await SponsorshipAsync(fan, channel)).GetProperty("autoRenew").GetBoolean());
        Assert.Empty(fixture.Stripe.Refusals);
    }

    [Fact]
    public async Task Renewal_changed_on_stripe_reaches_the_ledger_whatever_order_the_events_arrive_in()
    {
        var (_, fan, checkout, subscription) = await SponsoringAsync();
        var retrieve = $"/v1/subscriptions/{subscription}";
        var paidUntil = (await SponsorshipAsync(fan, checkout.ChannelId)).GetProperty("paidUntil").GetDateTimeOffset();

        // Off and on again in the customer portal: two events, and the older one arrives last.
        fixture.Stripe.SetCancelAtPeriodEnd(subscription, true);
        var offSnapshot = fixture.Stripe.Subscription(subscription);
        fixture.Stripe.SetCancelAtPeriodEnd(subscription, false);
        var onSnapshot = fixture.Stripe.Subscription(subscription);

        // The newer one agrees with the ledger: nothing to look up.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.subscription.updated", onSnapshot)));
        Assert.Empty(fixture.Stripe.RequestsTo("GET", retrieve));
        // The older one disagrees: Stripe is asked, says "renews", and the stale snapshot changes nothing.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.subscription.updated", offSnapshot)));
        StripeRequestAssert.SentProperly(Assert.Single(fixture.Stripe.RequestsTo("GET", retrieve)));
        var still = await SponsorshipAsync(fan, checkout.ChannelId);
        Assert.True(still.GetProperty("autoRenew").GetBoolean());
        Assert.Equal(paidUntil + RenewalGrace, still.GetProperty("expiresAt").GetDateTimeOffset());

        // Off in the portal, and this time it stays off.
        fixture.Stripe.SetCancelAtPeriodEnd(subscription, true);
        var offForGood = Event("customer.subscription.updated", fixture.Stripe.Subscription(subscription));
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, offForGood));
        Assert.Equal(2, fixture.Stripe.RequestsTo("GET", retrieve).Count);
        var off = await SponsorshipAsync(fan, checkout.ChannelId);
        Assert.Equal("ACTIVE", off.GetProperty("status").GetString());
        Assert.False(off.GetProperty("autoRenew").GetBoolean());
        Assert.Equal(paidUntil, off.GetProperty("expiresAt").GetDateTimeOffset());

        // A redelivery is a duplicate; a stale "renews" snapshot arriving late is checked and changes nothing.
        var (status, body) = await DeliverReadingAsync(fixture.Http, offForGood, Sign(offForGood, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"duplicate\":true", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.subscription.updated", onSnapshot)));
        Assert.Equal(3, fixture.Stripe.RequestsTo("GET", retrieve).Count);
        Assert.False((await SponsorshipAsync(fan, checkout.ChannelId)).GetProperty("autoRenew").GetBoolean());
        Assert.Equal(1, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM stripe_events WHERE event_id = @id", ("id", JsonDocument.Parse(offForGood).RootElement.GetProperty("id").GetString()!)));
    }

    [Fact]
    public async Task Stripe_failures_open_checkouts_and_ended_subscriptions_get_clear_answers()
    {
        var (_, fan, checkout, subscription) = await SponsoringAsync();
        var channel = checkout.ChannelId;

        // Stripe down: INTERNAL, and renewal stays on.
        fixture.Stripe.FailWith = 500;
        try
        {
            var refused = await fan.SendAsync(Cancel, new { c = channel });
            refused.AssertError("INTERNAL");
            Assert.Contains("payment provider", refused.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            fixture.Stripe.FailWith = null;
        }

        Assert.True((await SponsorshipAsync(fan, channel)).GetProperty("autoRenew").GetBoolean());

        // Renewal off, then a new checkout for the channel: resuming now could leave two subscriptions renewing.
        await fan.DataAsync(Cancel, new { c = channel });
        var reopened = await fixture.OpenCheckoutAsync(fan, checkout.PlanId.ToString());
        var blocked = await fan.SendAsync(Resume, new { c = channel });
        blocked.AssertError("BAD_USER_INPUT");
        Assert.Contains("checkout", blocked.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("checkout.session.expired", Session(reopened, "expired", "unpaid"))));

        // Cancelled at once on Stripe (the dashboard) before its webhook arrives: Stripe refuses the
        // resume, the platform looks the subscription up and says it has ended.
        fixture.Stripe.CancelSubscription(subscription);
        var updates = Updates(subscription).Count;
        var ended = await fan.SendAsync(Resume, new { c = channel });
        ended.AssertError("BAD_USER_INPUT");
        Assert.Contains("has ended", ended.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(updates + 1, Updates(subscription).Count);
        Assert.Single(fixture.Stripe.RequestsTo("GET", $"/v1/subscriptions/{subscription}"));
        Assert.Equal("STRIPE", await fixture.ScalarAsync<string>("SELECT reason FROM ended_subscriptions WHERE subscription_id = @s", ("s", subscription)));
        var runningOut = await SponsorshipAsync(fan, channel);
        Assert.Equal("ACTIVE", runningOut.GetProperty("status").GetString());
        Assert.False(runningOut.GetProperty("autoRenew").GetBoolean());

        // Cancelling what has ended asks Stripe nothing; resuming it is refused without asking either.
        Assert.False((await fan.DataAsync(Cancel, new { c = channel })).GetProperty("cancelSponsorship").GetProperty("autoRenew").GetBoolean());
        (await fan.SendAsync(Resume, new { c = channel })).AssertError("BAD_USER_INPUT");
        Assert.Equal(updates + 1, Updates(subscription).Count);

        // Stripe's own report of the cancellation changes nothing more.
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.subscription.deleted", fixture.Stripe.Subscription(subscription))));
        Assert.Equal("ACTIVE", (await SponsorshipAsync(fan, channel)).GetProperty("status").GetString());
        Assert.Empty(fixture.Stripe.Refusals);
    }

    /// <summary>A fan paying a streamer's plan; the subscription exists on the fake Stripe server as it would on Stripe.</summary>
    private async Task<(GraphQLClient Streamer, GraphQLClient Fan, Checkout Checkout, string Subscription)> SponsoringAsync()
    {
        var (streamer, fan, checkout) = await fixture.CheckoutAsync();
        var subscription = await fixture.PayAsync(checkout);
        fixture.Stripe.AddSubscription(subscription, checkout);
        return (streamer, fan, checkout, subscription);
    }

    private static async Task<JsonElement> SponsorshipAsync(GraphQLClient payer, Guid channelId)
    {
        var list = (await payer.DataAsync("{ mySponsorships { channelId status autoRenew expiresAt paidUntil } }")).GetProperty("mySponsorships");
        return list.EnumerateArray().Single(s => s.GetProperty("channelId").GetString() == channelId.ToString());
    }

    private IReadOnlyList<StripeRequest> Updates(string subscription) => fixture.Stripe.RequestsTo("POST", $"/v1/subscriptions/{subscription}");

    private JsonElement Field(string subscription, string name) => (JsonElement)fixture.Stripe.Subscription(subscription)[name]!;
}

/// <summary>What Stripe insists on in every request: the key, the API version, form-encoded POST bodies.</summary>
public static class StripeRequestAssert
{
    public static void SentProperly(StripeRequest request)
    {
        Assert.Equal($"Bearer {FakeStripeServer.SecretKey}", request.Authorization);
        Assert.Equal(Stripe.StripeConfiguration.ApiVersion, request.StripeVersion);
        if (request.Method == "POST")
        {
            Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType, StringComparison.Ordinal);
        }
    }
}
