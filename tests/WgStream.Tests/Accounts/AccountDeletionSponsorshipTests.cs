using System.Net;
using System.Text.Json;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Sponsorship;
using static WgStream.Tests.Sponsorship.StripeWebhooks;

namespace WgStream.Tests.Accounts;

/// <summary>
/// The real Api with the fake Stripe API, a deletion grace of 8 s and a deletion retry of one
/// minute (Orleans' shortest reminder period), so deletions and their retries happen within a test.
/// </summary>
public sealed class AccountDeletionSponsorshipFixture : SponsorshipFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["WG_Accounts__DeletionGrace"] = "00:00:08",
        ["WG_Accounts__DeletionRetryPeriod"] = "00:01:00",
    };

    public async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(200);
        }
    }

    public async Task<bool> AccountExistsAsync(Guid userId) =>
        await ScalarAsync<long>("SELECT count(*) FROM accounts WHERE user_id = @u", ("u", userId)) > 0;
}

/// <summary>
/// Deleting an account ends its Stripe subscriptions both ways — those it pays and those paying its
/// channel — before anything is erased, and a Stripe outage holds the deletion back until a later run.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AccountDeletionSponsorshipTests(AccountDeletionSponsorshipFixture fixture) : IClassFixture<AccountDeletionSponsorshipFixture>
{
    private const string Deactivate = "mutation($p: String!) { deactivateAccount(currentPassword: $p) { deletionAt } }";
    private const string Comment = "WG-Stream account deleted";

    [Fact]
    public async Task Deleting_an_account_cancels_at_once_what_it_pays_and_what_pays_its_channel()
    {
        var (leaving, account, leavingPlan) = await StreamerAsync();
        var (other, otherAccount, otherPlan) = await StreamerAsync();
        var fan = await UserAsync();
        var quitter = await UserAsync();
        var former = await UserAsync();

        var fanPays = await SponsorAsync(fan, leavingPlan);
        var quitterPays = await SponsorAsync(quitter, leavingPlan);
        await quitter.DataAsync(SponsorshipCancellationTests.Cancel, new { c = account.Id });
        var leavingPays = await SponsorAsync(leaving, otherPlan);
        var fanPaysOther = await SponsorAsync(fan, otherPlan);
        // A sponsorship whose subscription Stripe ended long ago: nothing left to cancel there.
        var formerPays = await SponsorAsync(former, leavingPlan);
        fixture.Stripe.CancelSubscription(formerPays.Subscription);
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.subscription.deleted", fixture.Stripe.Subscription(formerPays.Subscription))));

        var before = fixture.Stripe.Requests.Count;
        await leaving.DataAsync(Deactivate, new { p = account.Password });
        await fixture.WaitUntilAsync(async () => !await fixture.AccountExistsAsync(account.Id), TimeSpan.FromSeconds(60), "the account is deleted");

        // Each subscription paying the channel, and each the account paid, was cancelled once, at once.
        var deletes = fixture.Stripe.Requests.Skip(before).Where(r => r.Method == "DELETE").ToList();
        Assert.Equal(
            new[] { fanPays, quitterPays, leavingPays }.Select(p => $"/v1/subscriptions/{p.Subscription}").Order(StringComparer.Ordinal),
            deletes.Select(d => d.Path).Order(StringComparer.Ordinal));
        Assert.All(deletes, d =>
        {
            StripeRequestAssert.SentProperly(d);
            Assert.Equal(new Dictionary<string, string> { ["cancellation_details[comment]"] = Comment }, d.Form);
        });
        foreach (var paid in new[] { fanPays, quitterPays, leavingPays })
        {
            Assert.Equal("canceled", Field(paid.Subscription, "status").GetString());
            Assert.Equal(Comment, ((JsonElement)fixture.Stripe.Subscription(paid.Subscription)["cancellation_details"]!).GetProperty("comment").GetString());
            Assert.Equal("ACCOUNT_DELETED", await EndedReasonAsync(paid.Subscription));
        }

        Assert.Equal("active", Field(fanPaysOther.Subscription, "status").GetString());
        Assert.Equal("STRIPE", await EndedReasonAsync(formerPays.Subscription));
        Assert.Null(await EndedReasonAsync(fanPaysOther.Subscription));

        // In the ledger those sponsorships ended now; the fan's other one stands.
        foreach (var (channel, payer) in new[] { (account.Id, fanPays.Payer), (account.Id, quitterPays.Payer), (otherAccount.Id, account.Id), (account.Id, formerPays.Payer) })
        {
            Assert.Equal("ENDED", await StatusAsync(channel, payer));
        }

        Assert.Equal("ACTIVE", await StatusAsync(otherAccount.Id, fanPays.Payer));
        var fanSponsorships = (await fan.DataAsync("{ mySponsorships { channelId status autoRenew } }")).GetProperty("mySponsorships").EnumerateArray().ToList();
        var ended = fanSponsorships.Single(s => s.GetProperty("channelId").GetString() == account.Id.ToString());
        Assert.Equal("ENDED", ended.GetProperty("status").GetString());
        Assert.False(ended.GetProperty("autoRenew").GetBoolean());
        Assert.Equal([fanPays.Payer.ToString()], await SponsorshipFixture.SponsorIdsAsync(other, otherAccount.Id));
        Assert.Empty(await SponsorshipFixture.SponsorIdsAsync(other, account.Id));

        // Nobody can start paying the deleted channel.
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM sponsorship_plans WHERE channel_id = @c AND archived_at IS NULL", ("c", account.Id)));
        var late = await UserAsync();
        (await late.SendAsync("mutation($p: ID!) { createSponsorshipCheckout(planId: $p) { url } }", new { p = leavingPlan })).AssertError("BAD_USER_INPUT");

        // A renewal paid just before the cancel and delivered late is recorded, but brings nothing back;
        // nor does Stripe's report of the cancellation.
        var renewal = NewId("in");
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("invoice.paid", Invoice(fanPays.Checkout, renewal, fanPays.Subscription, "subscription_cycle"))));
        Assert.Equal("SUCCESS", await fixture.ScalarAsync<string>("SELECT status FROM transactions WHERE stripe_invoice_id = @i", ("i", renewal)));
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("customer.subscription.deleted", fixture.Stripe.Subscription(fanPays.Subscription))));
        Assert.Equal("ENDED", await StatusAsync(account.Id, fanPays.Payer));
        Assert.Equal("ACCOUNT_DELETED", await EndedReasonAsync(fanPays.Subscription));
        Assert.Empty(await SponsorshipFixture.SponsorIdsAsync(other, account.Id));
        Assert.Empty(fixture.Stripe.Refusals);
    }

    [Fact]
    public async Task A_stripe_outage_holds_the_deletion_back_and_a_later_run_finishes_without_repeating_what_was_done()
    {
        var (leaving, account, leavingPlan) = await StreamerAsync();
        var (other, otherAccount, otherPlan) = await StreamerAsync();
        var fan = await UserAsync();
        var fanPays = await SponsorAsync(fan, leavingPlan);
        var leavingPays = await SponsorAsync(leaving, otherPlan);
        var paths = new[] { fanPays, leavingPays }.ToDictionary(p => p.Subscription, p => $"/v1/subscriptions/{p.Subscription}");

        // Stripe cancels the first subscription it is asked to, then fails every cancel.
        var deletes = 0;
        fixture.Stripe.FailWhen = r => r.Method == "DELETE" && Interlocked.Increment(ref deletes) > 1 ? 500 : null;
        string first, second;
        try
        {
            await leaving.DataAsync(Deactivate, new { p = account.Password });
            await fixture.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref deletes) >= 2), TimeSpan.FromSeconds(60), "the deletion reaches Stripe");
            await Task.Delay(TimeSpan.FromSeconds(3));

            // The run failed: nothing is erased or ended, and what Stripe did cancel is remembered.
            Assert.True(await fixture.AccountExistsAsync(account.Id));
            first = paths.Keys.Single(s => Field(s, "status").GetString() == "canceled");
            second = paths.Keys.Single(s => s != first);
            Assert.Equal("active", Field(second, "status").GetString());
            Assert.Equal("ACCOUNT_DELETED", await EndedReasonAsync(first));
            Assert.Null(await EndedReasonAsync(second));
            Assert.Equal("ACTIVE", await StatusAsync(account.Id, fanPays.Payer));
            Assert.Equal("ACTIVE", await StatusAsync(otherAccount.Id, account.Id));
            Assert.Equal(1, DeletesTo(paths[first]));
        }
        finally
        {
            fixture.Stripe.FailWhen = null;
        }

        // Stripe is back; the reminder's next tick, a minute later, finishes the deletion.
        await fixture.WaitUntilAsync(async () => !await fixture.AccountExistsAsync(account.Id), TimeSpan.FromSeconds(150), "the retried deletion finishes");
        Assert.Equal(1, DeletesTo(paths[first]));
        Assert.True(DeletesTo(paths[second]) >= 2);
        Assert.Equal("canceled", Field(second, "status").GetString());
        Assert.Equal("ACCOUNT_DELETED", await EndedReasonAsync(second));
        Assert.Equal("ENDED", await StatusAsync(account.Id, fanPays.Payer));
        Assert.Equal("ENDED", await StatusAsync(otherAccount.Id, account.Id));
        Assert.Empty(await SponsorshipFixture.SponsorIdsAsync(other, otherAccount.Id));
        Assert.Empty(fixture.Stripe.Refusals);
    }

    private async Task<GraphQLClient> UserAsync()
    {
        var client = fixture.CreateClient();
        await client.RegisterAsync();
        return client;
    }

    private async Task<(GraphQLClient Client, TestAccount Account, string PlanId)> StreamerAsync()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        return (client, account, await SponsorshipFixture.CreatePlanAsync(client, "Backer", 500));
    }

    /// <summary>A paid checkout of the plan, whose subscription exists on the fake Stripe server as on Stripe.</summary>
    private async Task<(Checkout Checkout, string Subscription, Guid Payer)> SponsorAsync(GraphQLClient payer, string planId)
    {
        var checkout = await fixture.OpenCheckoutAsync(payer, planId);
        var subscription = await fixture.PayAsync(checkout);
        fixture.Stripe.AddSubscription(subscription, checkout);
        return (checkout, subscription, checkout.PayerId);
    }

    private Task<string> StatusAsync(Guid channelId, Guid payerId) =>
        fixture.ScalarAsync<string>("SELECT status FROM sponsorships WHERE channel_id = @c AND payer_id = @p", ("c", channelId), ("p", payerId));

    private async Task<string?> EndedReasonAsync(string subscriptionId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand("SELECT reason FROM ended_subscriptions WHERE subscription_id = @s");
        command.Parameters.AddWithValue("s", subscriptionId);
        return await command.ExecuteScalarAsync() as string;
    }

    private int DeletesTo(string path) => fixture.Stripe.RequestsTo("DELETE", path).Count;

    private JsonElement Field(string subscription, string name) => (JsonElement)fixture.Stripe.Subscription(subscription)[name]!;
}
