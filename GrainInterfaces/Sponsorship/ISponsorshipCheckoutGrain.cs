namespace WgStream.GrainInterfaces.Sponsorship;

/// <summary>
/// One payer's checkouts and renewal changes (keyed by the payer's user id), one at a time, so that
/// a double click cannot open two Stripe sessions for the same plan at once, nor race a resume
/// against a checkout.
/// </summary>
public interface ISponsorshipCheckoutGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Records a PENDING transaction and opens a Stripe Checkout Session for it; an open session for
    /// the same plan is handed out again rather than a second one created.
    /// </summary>
    Task<SponsorshipCheckout> CreateAsync(Guid planId);

    /// <summary>
    /// Turns renewal off for the payer's active sponsorship of the channel (Stripe: cancel at the
    /// period end); it stays active until its paid period ends. Repeating it is harmless.
    /// NOT_FOUND when there is no active sponsorship.
    /// </summary>
    Task<ChannelSponsorship> CancelRenewalAsync(Guid channelId);

    /// <summary>
    /// Turns renewal back on while the sponsorship is still active. NOT_FOUND when there is no
    /// active sponsorship; BAD_USER_INPUT when its subscription has ended on Stripe or a checkout for
    /// the channel is open.
    /// </summary>
    Task<ChannelSponsorship> ResumeRenewalAsync(Guid channelId);
}
