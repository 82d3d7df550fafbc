using Microsoft.Extensions.Logging;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Gateways.Stripe;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// Ends everything an account pays or is paid through, for its deletion. Each subscription is
/// cancelled on Stripe first and then recorded in <c>ended_subscriptions</c>, so a run cut short
/// (Stripe down, a crash) resumes where it stopped and never skips one it did not cancel; only then
/// are the sponsorships ended, the sponsor sets reloaded and the plans archived, all repeatable.
/// </summary>
public sealed partial class AccountSponsorshipsGrain(
    AccountSponsorshipStore store,
    SponsorshipDirectoryStore directory,
    StripeGateway stripe,
    TimeProvider clock,
    ILogger<AccountSponsorshipsGrain> logger) : Grain, IAccountSponsorshipsGrain
{
    private const string CancellationComment = "WG-Stream account deleted";

    private Guid UserId => this.GetPrimaryKey();

    public async Task EndForDeletionAsync()
    {
        foreach (var subscriptionId in await store.OpenSubscriptionsOfAccountAsync(UserId))
        {
            // Throws when Stripe cannot be reached: the caller's deletion stops and is tried again.
            var cancelled = await stripe.CancelSubscriptionAsync(subscriptionId, CancellationComment);
            await store.RecordCancelledForDeletionAsync(subscriptionId, clock.GetUtcNow());
            LogSubscriptionEnded(UserId, subscriptionId, cancelled);
        }

        foreach (var channelId in await store.EndSponsorshipsOfAccountAsync(UserId, clock.GetUtcNow()))
        {
            await GrainFactory.GetGrain<IChannelSponsorsGrain>(channelId).ReloadAsync();
        }

        // Nobody can start paying a channel that no longer exists.
        foreach (var plan in await directory.PlansAsync(UserId, includeArchived: false))
        {
            await GrainFactory.GetGrain<ISponsorshipPlanGrain>(plan.Id).ArchiveAsync(UserId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserId} is being deleted: subscription {SubscriptionId} ended (cancelled now: {Cancelled})")]
    private partial void LogSubscriptionEnded(Guid userId, string subscriptionId, bool cancelled);
}
