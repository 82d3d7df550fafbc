using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Sponsorship;

/// <summary>
/// The current sponsors of one channel (keyed by channel id), in memory, for checks on hot paths
/// such as chat badges and sponsors-only chat. Expiry is driven by a durable Orleans reminder;
/// answers compare the expiry with the clock, so a late reminder never grants extra time.
/// </summary>
public interface IChannelSponsorsGrain : IGrainWithGuidKey
{
    [ReadOnly]
    Task<bool> IsSponsorAsync(Guid userId);

    /// <summary>Re-reads one payer's sponsorship after the ledger changed it; returns whether it is active.</summary>
    Task<bool> RefreshAsync(Guid payerId);

    /// <summary>Re-reads every sponsor of the channel (after the ledger changed many at once, as account deletion does).</summary>
    Task ReloadAsync();

    /// <summary>
    /// Payments to the channel that succeeded in [<paramref name="from"/>, <paramref name="to"/>),
    /// from the ledger; answered without a query when the ledger has not changed for this channel since <paramref name="from"/>.
    /// </summary>
    [ReadOnly]
    Task<SponsorSales> GetSalesAsync(DateTimeOffset from, DateTimeOffset to);
}
