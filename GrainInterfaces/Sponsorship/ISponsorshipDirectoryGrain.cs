using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.GrainInterfaces.Sponsorship;

/// <summary>
/// Queries over plans, sponsorships and transactions, answered from PostgreSQL. A stateless worker:
/// use key 0. Lists are newest first; cursors are opaque (a malformed one is BAD_USER_INPUT).
/// </summary>
public interface ISponsorshipDirectoryGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    Task<IReadOnlyList<SponsorshipPlan>> PlansAsync(Guid channelId, bool includeArchived);

    [ReadOnly]
    Task<IReadOnlyList<ChannelSponsorship>> SponsorshipsOfAsync(Guid payerId);

    /// <summary>Active sponsors of a channel.</summary>
    [ReadOnly]
    Task<Page<ChannelSponsorship>> SponsorsAsync(Guid channelId, int first, string? after);

    [ReadOnly]
    Task<Page<PaymentTransaction>> PayerTransactionsAsync(Guid payerId, int first, string? after);

    [ReadOnly]
    Task<Page<PaymentTransaction>> ChannelTransactionsAsync(Guid channelId, int first, string? after);
}
