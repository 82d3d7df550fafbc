using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Grains.Sponsorship;

[StatelessWorker]
public sealed class SponsorshipDirectoryGrain(SponsorshipDirectoryStore directory) : Grain, ISponsorshipDirectoryGrain
{
    public Task<IReadOnlyList<SponsorshipPlan>> PlansAsync(Guid channelId, bool includeArchived) => directory.PlansAsync(channelId, includeArchived);

    public Task<IReadOnlyList<ChannelSponsorship>> SponsorshipsOfAsync(Guid payerId) => directory.SponsorshipsOfAsync(payerId);

    public Task<Page<ChannelSponsorship>> SponsorsAsync(Guid channelId, int first, string? after) => directory.SponsorsAsync(channelId, first, after);

    public Task<Page<PaymentTransaction>> PayerTransactionsAsync(Guid payerId, int first, string? after) => directory.PayerTransactionsAsync(payerId, first, after);

    public Task<Page<PaymentTransaction>> ChannelTransactionsAsync(Guid channelId, int first, string? after) => directory.ChannelTransactionsAsync(channelId, first, after);
}
