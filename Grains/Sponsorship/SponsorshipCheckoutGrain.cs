using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Gateways.Stripe;

namespace WgStream.Grains.Sponsorship;

/// <summary>A payer's checkouts and renewal changes, one at a time (the grain is keyed by the payer's user id).</summary>
public sealed class SponsorshipCheckoutGrain(
    CheckoutStore checkouts,
    RenewalStore renewals,
    SponsorshipDirectoryStore directory,
    StripeGateway stripe,
    IOptions<SponsorshipOptions> options,
    TimeProvider clock) : Grain, ISponsorshipCheckoutGrain
{
    /// <summary>An open session is handed out again only if the payer has this long left to pay.</summary>
    private static readonly TimeSpan ReuseMargin = TimeSpan.FromMinutes(10);

    private Guid PayerId => this.GetPrimaryKey();

    public async Task<SponsorshipCheckout> CreateAsync(Guid planId)
    {
        var plans = GrainFactory.GetGrain<ISponsorshipPlanGrain>(planId);
        var plan = await plans.GetAsync() ?? throw WgException.NotFound("No such sponsorship plan.");
        if (plan.Archived)
        {
            throw WgException.BadInput("This plan is no longer offered.", "planId");
        }

        if (plan.ChannelId == PayerId)
        {
            throw WgException.BadInput("You cannot sponsor your own channel.", "planId");
        }

        if (await GrainFactory.GetGrain<IUserBlocksGrain>(plan.ChannelId).HasBlockedAsync(PayerId))
        {
            throw WgException.Forbidden("You cannot sponsor this channel.");
        }

        var now = clock.GetUtcNow();
        if (await checkouts.HasRenewingSponsorshipAsync(plan.ChannelId, PayerId, now))
        {
            throw WgException.BadInput("You already sponsor this channel; your sponsorship renews every month.", "planId");
        }

        if (await checkouts.FindOpenCheckoutAsync(PayerId, planId, plan.Price, plan.Currency, now + ReuseMargin) is { } open)
        {
            return open;
        }

        var channel = await GrainFactory.GetGrain<IChannelGrain>(plan.ChannelId).GetAsync() ?? throw WgException.NotFound("No such channel.");
        var priceId = await plans.PrepareStripePriceAsync();
        var transactionId = Guid.CreateVersion7(now);
        var expiresAt = now + options.Value.CheckoutLifetime;
        await checkouts.InsertPendingAsync(transactionId, PayerId, plan.ChannelId, planId, plan.Price, plan.Currency, now);
        (string Id, string Url) session;
        try
        {
            session = await stripe.CreateCheckoutSessionAsync(new CheckoutRequest(transactionId, plan.ChannelId, channel.Username, planId, PayerId, priceId, expiresAt));
        }
        catch (WgException)
        {
            await checkouts.FailCheckoutAsync(transactionId, clock.GetUtcNow());
            throw;
        }

        await checkouts.AttachCheckoutAsync(transactionId, session.Id, session.Url, expiresAt, clock.GetUtcNow());
        return new SponsorshipCheckout(transactionId, session.Id, session.Url);
    }

    public async Task<ChannelSponsorship> CancelRenewalAsync(Guid channelId)
    {
        var current = await FindActiveAsync(channelId);
        // Stripe is asked even when the ledger already says "no renewal": it may know better (a
        // resume in the customer portal whose webhook has not arrived), and setting it again is harmless.
        if (current is { SubscriptionId: { } subscriptionId, SubscriptionEnded: false })
        {
            var renewal = await stripe.SetCancelAtPeriodEndAsync(subscriptionId, cancel: true, RenewalKey("off", subscriptionId));
            await renewals.ApplyRenewalAsync(subscriptionId, renewal, clock.GetUtcNow());
        }

        return await AfterChangeAsync(channelId);
    }

    public async Task<ChannelSponsorship> ResumeRenewalAsync(Guid channelId)
    {
        var current = await FindActiveAsync(channelId);
        if (current is not { SubscriptionId: { } subscriptionId, SubscriptionEnded: false })
        {
            throw Ended();
        }

        // A new subscription may be on its way for this channel; a second one renewing beside it would charge twice.
        if (await renewals.HasOpenCheckoutAsync(channelId, PayerId, clock.GetUtcNow()))
        {
            throw WgException.BadInput("You have a checkout for this channel open; pay it or let it expire before resuming.", "channelId");
        }

        var renewal = await stripe.SetCancelAtPeriodEndAsync(subscriptionId, cancel: false, RenewalKey("on", subscriptionId));
        await renewals.ApplyRenewalAsync(subscriptionId, renewal, clock.GetUtcNow());
        var sponsorship = await AfterChangeAsync(channelId);
        return renewal.Ended ? throw Ended() : sponsorship;
    }

    private async Task<ActiveSponsorship> FindActiveAsync(Guid channelId) =>
        await renewals.FindActiveAsync(channelId, PayerId, clock.GetUtcNow())
        ?? throw WgException.NotFound("You have no active sponsorship of this channel.");

    /// <summary>The sponsor set learns the new expiry (renewal grace dropped or restored); the caller gets the sponsorship as it now stands.</summary>
    private async Task<ChannelSponsorship> AfterChangeAsync(Guid channelId)
    {
        await GrainFactory.GetGrain<IChannelSponsorsGrain>(channelId).RefreshAsync(PayerId);
        return await directory.SponsorshipAsync(channelId, PayerId)
            ?? throw WgException.NotFound("You have no active sponsorship of this channel.");
    }

    /// <summary>A key per change, not per subscription: "off", "on", "off" again are three updates, and a key reused within Stripe's 24 hours would replay the first.</summary>
    private static string RenewalKey(string change, string subscriptionId) => $"wg-renewal-{change}-{subscriptionId}-{Guid.NewGuid():N}";

    private static WgException Ended() =>
        WgException.BadInput("This sponsorship's subscription has ended; it runs out with its paid period, and a new one can be started then.", "channelId");
}
