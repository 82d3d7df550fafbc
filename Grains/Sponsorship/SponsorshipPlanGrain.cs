using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Gateways.Stripe;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// One plan. Its row in <c>sponsorship_plans</c> is the state (read on activation, written through
/// on every change); being the only writer, the grain also serialises the lazy creation of the
/// plan's Stripe product and price, so concurrent checkouts cannot create two.
/// </summary>
public sealed class SponsorshipPlanGrain(
    SponsorshipPlanStore store,
    StripeGateway stripe,
    IOptions<SponsorshipOptions> options,
    TimeProvider clock) : Grain, ISponsorshipPlanGrain
{
    private StoredPlan? plan;

    private Guid PlanId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => plan = await store.GetAsync(PlanId);

    public async Task<SponsorshipPlan> CreateAsync(Guid ownerId, SponsorshipPlanInput input)
    {
        if (plan is not null)
        {
            throw WgException.BadInput("That plan already exists.", "id");
        }

        var title = SponsorshipRules.Title(input.Title);
        var description = SponsorshipRules.Description(input.Description);
        var price = SponsorshipRules.Price(input.Price, options.Value);
        var currency = SponsorshipRules.Currency(input.Currency, options.Value);
        if (await GrainFactory.GetGrain<IChannelGrain>(ownerId).GetAsync() is null)
        {
            throw WgException.NotFound("No such channel.");
        }

        // Counted, not locked: two plans created in the same instant may pass the limit by one.
        if (await store.CountActiveAsync(ownerId) >= options.Value.MaxActivePlans)
        {
            throw WgException.BadInput($"A channel offers at most {options.Value.MaxActivePlans} plans; archive one first.");
        }

        var now = clock.GetUtcNow();
        var created = new StoredPlan(PlanId, ownerId, title, description, price, currency, 1, null, null, null, null, now, now);
        await store.InsertAsync(created);
        plan = created;
        return created.ToPlan();
    }

    public Task<SponsorshipPlan?> GetAsync() => Task.FromResult(plan?.ToPlan());

    public async Task<SponsorshipPlan> UpdateAsync(Guid actorId, SponsorshipPlanUpdate update)
    {
        var current = EnsureOwner(actorId);
        if (current.ArchivedAt is not null)
        {
            throw WgException.BadInput("An archived plan cannot be changed.", "id");
        }

        var price = update.Price is { } p ? SponsorshipRules.Price(p, options.Value) : current.Price;
        var currency = update.Currency is { } c ? SponsorshipRules.Currency(c, options.Value) : current.Currency;
        var priceChanged = price != current.Price || currency != current.Currency;
        var updated = current with
        {
            Title = update.Title is { } t ? SponsorshipRules.Title(t) : current.Title,
            Description = update.Description is { } d ? SponsorshipRules.Description(d) : current.Description,
            Price = price,
            Currency = currency,
            // Stripe prices cannot change: the next checkout creates one for the new version.
            // Existing subscriptions keep the price they were sold at.
            PriceVersion = priceChanged ? current.PriceVersion + 1 : current.PriceVersion,
            StripePriceId = priceChanged ? null : current.StripePriceId,
            UpdatedAt = clock.GetUtcNow(),
        };
        await store.UpdateAsync(updated);
        plan = updated;
        return updated.ToPlan();
    }

    public async Task<SponsorshipPlan> ArchiveAsync(Guid actorId)
    {
        var current = EnsureOwner(actorId);
        if (current.ArchivedAt is null)
        {
            var now = clock.GetUtcNow();
            current = current with { ArchivedAt = now, UpdatedAt = now };
            await store.UpdateAsync(current);
            plan = current;
        }

        return current.ToPlan();
    }

    public async Task<string> PrepareStripePriceAsync()
    {
        var current = plan ?? throw WgException.NotFound("No such sponsorship plan.");
        if (current.ArchivedAt is not null)
        {
            throw WgException.BadInput("This plan is no longer offered.", "planId");
        }

        // Idempotency keys name exactly what is being created, so a retry after a timeout (ours or
        // a lost reply) returns the object Stripe already made instead of making another.
        if (current.StripeProductId is null)
        {
            var productId = await stripe.CreateProductAsync(current.ToPlan(), $"wg-plan-{PlanId:N}-product");
            current = current with { StripeProductId = productId, StripeProductName = current.Title };
            await store.UpdateAsync(current);
        }
        else if (current.StripeProductName != current.Title)
        {
            await stripe.RenameProductAsync(current.StripeProductId, current.Title, $"wg-plan-{PlanId:N}-name-{current.UpdatedAt.ToUnixTimeMilliseconds()}");
            current = current with { StripeProductName = current.Title };
            await store.UpdateAsync(current);
        }

        if (current.StripePriceId is null)
        {
            var priceId = await stripe.CreateMonthlyPriceAsync(current.ToPlan(), current.StripeProductId, current.PriceVersion, $"wg-plan-{PlanId:N}-price-v{current.PriceVersion}");
            current = current with { StripePriceId = priceId };
            await store.UpdateAsync(current);
        }

        plan = current;
        return current.StripePriceId;
    }

    private StoredPlan EnsureOwner(Guid actorId)
    {
        var current = plan ?? throw WgException.NotFound("No such sponsorship plan.");
        return current.ChannelId == actorId ? current : throw WgException.Forbidden("Only the channel's owner can change its plans.");
    }
}
