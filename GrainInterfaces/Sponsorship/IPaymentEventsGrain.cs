namespace WgStream.GrainInterfaces.Sponsorship;

/// <summary>
/// Applies verified Stripe webhook events to the ledger. A stateless worker (use key 0): the
/// exactly-once guarantee lives in the database (the event id is inserted in the same transaction
/// as the change), so any number of activations on any number of silos may process deliveries.
/// </summary>
public interface IPaymentEventsGrain : IGrainWithIntegerKey
{
    Task<PaymentEventOutcome> ApplyAsync(PaymentEvent paymentEvent);
}
