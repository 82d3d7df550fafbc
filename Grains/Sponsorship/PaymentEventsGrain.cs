using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Gateways.Stripe;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// Applies webhook events through the <see cref="PaymentEventStore"/>, then brings memory up to date:
/// the channel's sponsor set (and its expiry reminder) and the channel's reward rules. Those
/// follow-ups are idempotent and also run for a redelivered event, so a node that died between
/// the commit and the follow-ups is repaired by Stripe's next delivery.
/// </summary>
[StatelessWorker]
public sealed partial class PaymentEventsGrain(
    PaymentEventStore ledger,
    StripeGateway stripe,
    TimeProvider clock,
    ILogger<PaymentEventsGrain> logger) : Grain, IPaymentEventsGrain
{
    public async Task<PaymentEventOutcome> ApplyAsync(PaymentEvent paymentEvent)
    {
        var outcome = await ledger.FindAppliedAsync(paymentEvent.EventId);
        if (outcome is null)
        {
            // A refund names only its payment intent; which invoice that paid is Stripe's to say.
            if (paymentEvent is { Type: StripeEventTypes.ChargeRefunded, PaymentIntentId: { } pi, InvoiceId: null }
                && !await ledger.KnowsPaymentIntentAsync(pi))
            {
                paymentEvent = paymentEvent with { InvoiceId = await stripe.FindInvoiceOfPaymentIntentAsync(pi) };
            }

            // A subscription event is a snapshot, and events arrive in any order: a "renewal off"
            // delivered after the "renewal on" that followed it would undo the newer change. So
            // when the snapshot disagrees with the ledger, what counts is what Stripe says now.
            if (paymentEvent is { Type: StripeEventTypes.SubscriptionUpdated, SubscriptionId: { } subscriptionId, Renews: { } renews }
                && await ledger.RenewsAsync(subscriptionId) is { } recorded && recorded != renews)
            {
                paymentEvent = paymentEvent with { Renews = (await stripe.GetSubscriptionAsync(subscriptionId))?.Renews ?? false };
            }

            outcome = await ledger.ApplyAsync(paymentEvent, clock.GetUtcNow());
            if (outcome is null)
            {
                LogNotYetPlaceable(paymentEvent.EventId, paymentEvent.Type);
                throw new WgException(ErrorCodes.Internal, "The event refers to a payment not recorded yet; deliver it again later.");
            }
        }

        if (outcome is { ChannelId: { } channelId, PayerId: { } payerId })
        {
            var sponsors = GrainFactory.GetGrain<IChannelSponsorsGrain>(channelId);
            var wasSponsor = await sponsors.IsSponsorAsync(payerId);
            if (await sponsors.RefreshAsync(payerId))
            {
                await GrainFactory.GetGrain<IChannelGrain>(channelId).OnSponsoredAsync();
                if (!wasSponsor)
                {
                    await NotifyNewSponsorAsync(channelId, payerId);
                }
            }
        }

        return outcome;
    }

    /// <summary>Tells the channel owner (a renewal is not news: only a sponsor who was not one before).</summary>
    private async Task NotifyNewSponsorAsync(Guid channelId, Guid payerId)
    {
        try
        {
            var sponsorship = (await GrainFactory.GetGrain<ISponsorshipDirectoryGrain>(0).SponsorshipsOfAsync(payerId))
                .FirstOrDefault(s => s.ChannelId == channelId);
            await GrainFactory.GetGrain<INotificationDispatchGrain>(0)
                .PublishAsync(new NewSponsorEvent(clock.GetUtcNow(), channelId, payerId, sponsorship?.PlanTitle ?? string.Empty));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The payment is applied; only the owner's notice is lost, and that must not make Stripe redeliver.
            LogNotifyFailed(e, channelId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the new-sponsor notice for channel {ChannelId}")]
    private partial void LogNotifyFailed(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} ({Type}) cannot be applied yet; Stripe will redeliver it")]
    private partial void LogNotYetPlaceable(string eventId, string type);
}
