using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Sponsorship;

/// <summary>
/// One sponsorship plan, keyed by plan id, held in memory and written through to PostgreSQL. Only
/// the channel's owner (the user whose id is the channel id) may change it.
/// </summary>
public interface ISponsorshipPlanGrain : IGrainWithGuidKey
{
    Task<SponsorshipPlan> CreateAsync(Guid ownerId, SponsorshipPlanInput input);

    [ReadOnly]
    Task<SponsorshipPlan?> GetAsync();

    Task<SponsorshipPlan> UpdateAsync(Guid actorId, SponsorshipPlanUpdate update);

    /// <summary>Hides the plan from new checkouts; existing sponsors keep their paid period. Repeating it is harmless.</summary>
    Task<SponsorshipPlan> ArchiveAsync(Guid actorId);

    /// <summary>Makes sure the plan's Stripe product and its current price exist (creating them the first time); returns the price id.</summary>
    Task<string> PrepareStripePriceAsync();
}
