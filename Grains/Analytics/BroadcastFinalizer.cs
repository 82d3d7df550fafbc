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
    public async Task FinalizeAsync(BroadcastEnded ended)
    {
        var chat = await store.ChatTotalsAsync(ended.ChannelId, ended.StartedAt, ended.EndedAt);
        var sold = await sales.SalesAsync(ended.ChannelId, ended.StartedAt, ended.EndedAt);
        await store.FinalizeAsync(ended.StreamId, ended.ChannelId, chat, sold, clock.GetUtcNow());
    }
}
