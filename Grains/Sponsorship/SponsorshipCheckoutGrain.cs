using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Grains.Sponsorship;

/// <summary>A payer's checkouts, one at a time (the grain is keyed by the payer's user id).</summary>
public sealed class SponsorshipCheckoutGrain(
    PaymentLedger ledger,
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

        var now = clock.GetUtcNow();
        if (await ledger.HasRenewingSponsorshipAsync(plan.ChannelId, PayerId, now))
        {
            throw WgException.BadInput("You already sponsor this channel; your sponsorship renews every month.", "planId");
        }

        if (await ledger.FindOpenCheckoutAsync(PayerId, planId, plan.Price, plan.Currency, now + ReuseMargin) is { } open)
        {
            return open;
        }

        var channel = await GrainFactory.GetGrain<IChannelGrain>(plan.ChannelId).GetAsync() ?? throw WgException.NotFound("No such channel.");
        var priceId = await plans.PrepareStripePriceAsync();
        var transactionId = Guid.CreateVersion7(now);
        var expiresAt = now + options.Value.CheckoutLifetime;
        await ledger.InsertPendingAsync(transactionId, PayerId, plan.ChannelId, planId, plan.Price, plan.Currency, now);
        (string Id, string Url) session;
        try
        {
            session = await stripe.CreateCheckoutSessionAsync(new CheckoutRequest(transactionId, plan.ChannelId, channel.Username, planId, PayerId, priceId, expiresAt));
        }
        catch (WgException)
        {
            await ledger.FailCheckoutAsync(transactionId, clock.GetUtcNow());
            throw;
        }

        await ledger.AttachCheckoutAsync(transactionId, session.Id, session.Url, expiresAt, clock.GetUtcNow());
        return new SponsorshipCheckout(transactionId, session.Id, session.Url);
    }
}
