using WgStream.Grains.Sponsorship;

namespace WgStream.Grains.Analytics;

/// <summary>
/// A broadcast's exact totals once it has ended: chat messages and chatters from the chat table,
/// new sponsors and revenue from the ledger, over the broadcast's time. Idempotent, so the writer
/// (at the end), the maintenance pass (ends a stopped silo never finalized) and a reader (a
/// broadcast from before analytics) may all run it.
/// </summary>
public sealed class BroadcastFinalizer(AnalyticsStore store, SponsorSalesStore sales, TimeProvider clock)
{
    /// <summary>
    /// An end is left to its silo's writer this long: the writer finalizes it right after writing
    /// the broadcast's last sample, so finalizing sooner elsewhere would mark totals final while that
    /// sample is still on its way. After this the end is taken for lost (its silo stopped).
    /// </summary>
    public static readonly TimeSpan EndGrace = TimeSpan.FromMinutes(2);

    public async Task FinalizeAsync(BroadcastEnded ended)
    {
        var chat = await store.ChatTotalsAsync(ended.ChannelId, ended.StartedAt, ended.EndedAt);
        var sold = await sales.SalesAsync(ended.ChannelId, ended.StartedAt, ended.EndedAt);
        await store.FinalizeAsync(ended.StreamId, ended.ChannelId, chat, sold, clock.GetUtcNow());
    }
}
