namespace WgStream.GrainInterfaces.Sponsorship;

/// <summary>
/// The sponsorships of one account (keyed by its user id) as a whole, both ways: what it pays for
/// and what its channel is paid.
/// </summary>
public interface IAccountSponsorshipsGrain : IGrainWithGuidKey
{
    /// <summary>
    /// For the account's deletion: cancels at once, on Stripe, every subscription the account pays
    /// and every subscription paying its channel, ends those sponsorships in the ledger and archives
    /// the channel's plans. Safe to run again: what is done is skipped. Throws (INTERNAL) when Stripe
    /// could not be reached, leaving the rest for the next run; the deletion must not go ahead then.
    /// </summary>
    Task EndForDeletionAsync();
}
