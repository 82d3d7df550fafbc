using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// The sponsorships of one channel that the table calls ACTIVE, payer to expiry, loaded on
/// activation and refreshed by the ledger's follow-ups. One durable reminder, due at the earliest
/// expiry, marks ended ones EXPIRED: reminders are stored in PostgreSQL and owned by whichever
/// silo holds the grain's part of the hash ring, so expiry survives restarts and failovers
/// (a missed tick comes round again within <see cref="RetryPeriod"/>). The sponsor check itself
/// compares with the clock, so it is exact even while a reminder is late.
/// </summary>
public sealed class ChannelSponsorsGrain(ChannelSponsorStore store, SponsorSalesStore sales, TimeProvider clock) : Grain, IChannelSponsorsGrain, IRemindable
{
    private const string ExpiryReminder = "sponsorship-expiry";

    /// <summary>Reminders are re-registered at every tick; the period only matters when a tick is missed.</summary>
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(5);

    /// <summary>Far expiries are approached in steps (timers cannot wait 49 days and more).</summary>
    private static readonly TimeSpan MaxDue = TimeSpan.FromDays(7);

    private Dictionary<Guid, DateTimeOffset> active = [];
    private DateTimeOffset? scheduledFor;
    private bool? reminderExists;

    /// <summary>
    /// When the ledger last told this activation about a change of the channel's payments (the
    /// activation itself counts: changes before it were not seen). Analytics asks for a span's sales
    /// every minute while live; a span that starts after this has none, with no query.
    /// </summary>
    private DateTimeOffset ledgerChangedAt;

    private static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(5);

    private Guid ChannelId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ledgerChangedAt = clock.GetUtcNow();
        active = await store.ActiveSponsorsAsync(ChannelId);
    }

    public Task<bool> IsSponsorAsync(Guid userId) =>
        Task.FromResult(active.TryGetValue(userId, out var until) && until > clock.GetUtcNow());

    public async Task<bool> RefreshAsync(Guid payerId)
    {
        ledgerChangedAt = clock.GetUtcNow();
        if (await store.ActiveUntilAsync(ChannelId, payerId) is { } until)
        {
            active[payerId] = until;
        }
        else
        {
            active.Remove(payerId);
        }

        await ScheduleAsync();
        return active.TryGetValue(payerId, out var expiresAt) && expiresAt > clock.GetUtcNow();
    }

    public async Task ReloadAsync()
    {
        ledgerChangedAt = clock.GetUtcNow();
        active = await store.ActiveSponsorsAsync(ChannelId);
        await ScheduleAsync();
    }

    // With a margin for the clocks of the silo that applied the payment and of this one.
    public Task<SponsorSales> GetSalesAsync(DateTimeOffset from, DateTimeOffset to) =>
        ledgerChangedAt < from - ClockMargin ? Task.FromResult(SponsorSales.None) : sales.SalesAsync(ChannelId, from, to);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }

        reminderExists = true;
        scheduledFor = null;
        foreach (var payerId in await store.ExpireDueAsync(ChannelId, clock.GetUtcNow()))
        {
            active.Remove(payerId);
        }

        await ScheduleAsync();
    }

    private async Task ScheduleAsync()
    {
        if (active.Count == 0)
        {
            if (reminderExists != false && await this.GetReminder(ExpiryReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            reminderExists = false;
            scheduledFor = null;
            return;
        }

        var next = active.Values.Min();
        if (scheduledFor == next)
        {
            return;
        }

        var due = next - clock.GetUtcNow();
        due = due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due > MaxDue ? MaxDue : due;
        await this.RegisterOrUpdateReminder(ExpiryReminder, due, RetryPeriod);
        reminderExists = true;
        scheduledFor = next;
    }
}
