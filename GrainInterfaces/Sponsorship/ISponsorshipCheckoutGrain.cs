namespace WgStream.GrainInterfaces.Sponsorship;

/// <summary>
/// Checkouts of one payer (keyed by the payer's user id), so that a double click cannot open two
/// Stripe sessions for the same plan at once.
/// </summary>
public interface ISponsorshipCheckoutGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Records a PENDING transaction and opens a Stripe Checkout Session for it; an open session for
    /// the same plan is handed out again rather than a second one created.
    /// </summary>
    Task<SponsorshipCheckout> CreateAsync(Guid planId);
}
