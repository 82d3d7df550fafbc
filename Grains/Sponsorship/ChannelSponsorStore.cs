using Npgsql;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// The sponsors of one channel as its ChannelSponsorsGrain loads them from <c>sponsorships</c>, and
/// the expiry that grain's reminder writes.
/// </summary>
public sealed class ChannelSponsorStore(NpgsqlDataSource dataSource)
{
    /// <summary>Payer to expiry of every sponsorship the table still calls ACTIVE (some may be past due, awaiting expiry).</summary>
    public async Task<Dictionary<Guid, DateTimeOffset>> ActiveSponsorsAsync(Guid channelId)
    {
        var rows = await dataSource.Sql("SELECT payer_id, expires_at FROM sponsorships WHERE channel_id = @c AND status = 'ACTIVE'")
            .With("c", channelId)
            .ListAsync(reader => (PayerId: reader.GetGuid(0), ExpiresAt: reader.GetFieldValue<DateTimeOffset>(1)));
        var sponsors = new Dictionary<Guid, DateTimeOffset>();
        foreach (var (payerId, expiresAt) in rows)
        {
            sponsors[payerId] = expiresAt;
        }

        return sponsors;
    }

    /// <summary>The expiry of the payer's sponsorship if the table calls it ACTIVE, else null.</summary>
    public Task<DateTimeOffset?> ActiveUntilAsync(Guid channelId, Guid payerId) =>
        dataSource.Sql("SELECT expires_at FROM sponsorships WHERE channel_id = @c AND payer_id = @p AND status = 'ACTIVE'")
            .With("c", channelId)
            .With("p", payerId)
            .ScalarAsync<DateTimeOffset?>();

    /// <summary>Marks the channel's sponsorships that ran out as EXPIRED; returns their payers. A concurrent extension wins (row lock, re-checked condition).</summary>
    public async Task<IReadOnlyList<Guid>> ExpireDueAsync(Guid channelId, DateTimeOffset now) =>
        await dataSource.Sql("""
            UPDATE sponsorships SET status = 'EXPIRED', ended_at = expires_at, updated_at = @now
             WHERE channel_id = @c AND status = 'ACTIVE' AND expires_at <= @now
            RETURNING payer_id
            """)
            .With("c", channelId)
            .With("now", now)
            .ListAsync(reader => reader.GetGuid(0));
}
