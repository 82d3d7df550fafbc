using Npgsql;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// What a channel sold in a time range, read from the ledger: payments by the moment they
/// succeeded (their <c>transaction_events</c> row), so a late webhook counts when the money arrived
/// in our books. A completed checkout is a new sponsor; renewals add revenue only.
/// </summary>
public sealed class SponsorSalesStore(NpgsqlDataSource dataSource)
{
    public async Task<SponsorSales> SalesAsync(Guid channelId, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return SponsorSales.None;
        }

        // transaction_events_successes (migration 0075) narrows to the range first: a handful of
        // payments a minute platform-wide, whatever the channel's history.
        var rows = await dataSource.Sql("""
            SELECT t.currency,
                   count(*) FILTER (WHERE t.stripe_checkout_session_id IS NOT NULL)::int,
                   sum(t.amount)::bigint
              FROM transaction_events e
              JOIN transactions t ON t.transaction_id = e.transaction_id
             WHERE e.to_status = 'SUCCESS' AND e.created_at >= @from AND e.created_at < @to AND t.channel_id = @c
             GROUP BY t.currency
             ORDER BY t.currency
            """)
            .With("c", channelId)
            .With("from", from)
            .With("to", to)
            .ListAsync(reader => (NewSponsors: reader.GetInt32(1), Revenue: new MoneyAmount(reader.GetInt64(2), reader.GetString(0))));
        var sponsors = rows.Sum(row => row.NewSponsors);
        var revenue = rows.Select(row => row.Revenue).ToList();
        return sponsors == 0 && revenue.Count == 0 ? SponsorSales.None : new SponsorSales(sponsors, revenue);
    }
}
