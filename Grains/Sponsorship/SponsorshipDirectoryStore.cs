using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Common;
using WgStream.Grains.Infrastructure.Database;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Sponsorship;

/// <summary>
/// Read queries over plans, sponsorships and transactions for SponsorshipDirectoryGrain (and the
/// grains that list a payer's or a channel's sponsorship state); lists page by keyset on their
/// <c>seq</c>, newest first. It writes nothing: every row it reads is written by its owner grain.
/// </summary>
public sealed class SponsorshipDirectoryStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string SponsorshipColumns =
        "s.channel_id, s.payer_id, s.plan_id, p.title, s.status, s.started_at, s.expires_at, s.auto_renew, s.seq, s.paid_until";

    private const string TransactionColumns =
        "t.transaction_id, t.payer_id, t.channel_id, t.plan_id, p.title, t.amount, t.currency, t.status, t.created_at, t.updated_at, t.seq";

    /// <summary>Cheapest first.</summary>
    public async Task<IReadOnlyList<SponsorshipPlan>> PlansAsync(Guid channelId, bool includeArchived) =>
        await dataSource.Sql($"""
            SELECT {SponsorshipPlanStore.Columns} FROM sponsorship_plans
             WHERE channel_id = @c AND (@all OR archived_at IS NULL)
             ORDER BY price, seq
            """)
            .With("c", channelId)
            .With("all", includeArchived)
            .ListAsync(reader => SponsorshipPlanStore.Read(reader).ToPlan());

    /// <summary>Everything the payer sponsors or sponsored, newest first (at most 100).</summary>
    public async Task<IReadOnlyList<ChannelSponsorship>> SponsorshipsOfAsync(Guid payerId)
    {
        var now = clock.GetUtcNow();
        return await dataSource.Sql($"""
            SELECT {SponsorshipColumns} FROM sponsorships s JOIN sponsorship_plans p USING (plan_id)
             WHERE s.payer_id = @p
             ORDER BY s.seq DESC
             LIMIT 100
            """)
            .With("p", payerId)
            .ListAsync(reader => ReadSponsorship(reader, now));
    }

    /// <summary>The payer's sponsorship of the channel, whatever its status, or null when there never was one.</summary>
    public Task<ChannelSponsorship?> SponsorshipAsync(Guid channelId, Guid payerId) =>
        dataSource.Sql($"""
            SELECT {SponsorshipColumns} FROM sponsorships s JOIN sponsorship_plans p USING (plan_id)
             WHERE s.channel_id = @c AND s.payer_id = @p
            """)
            .With("c", channelId)
            .With("p", payerId)
            .FirstOrDefaultAsync(reader => ReadSponsorship(reader, clock.GetUtcNow()));

    public async Task<Page<ChannelSponsorship>> SponsorsAsync(Guid channelId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        var now = clock.GetUtcNow();
        var rows = await Paged(dataSource.Sql($"""
            SELECT {SponsorshipColumns} FROM sponsorships s JOIN sponsorship_plans p USING (plan_id)
             WHERE s.channel_id = @c AND s.status = 'ACTIVE' AND s.expires_at > @now AND (@after IS NULL OR s.seq < @after)
             ORDER BY s.seq DESC
             LIMIT @limit
            """)
            .With("c", channelId)
            .With("now", now), size, after)
            .ListAsync(reader => (Seq: reader.GetInt64(8), Node: ReadSponsorship(reader, now)));
        return ToPage(rows, size);
    }

    public Task<Page<PaymentTransaction>> PayerTransactionsAsync(Guid payerId, int first, string? after) =>
        TransactionsAsync("payer_id", payerId, first, after);

    public Task<Page<PaymentTransaction>> ChannelTransactionsAsync(Guid channelId, int first, string? after) =>
        TransactionsAsync("channel_id", channelId, first, after);

    private async Task<Page<PaymentTransaction>> TransactionsAsync(string keyColumn, Guid key, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        var rows = await Paged(dataSource.Sql($"""
            SELECT {TransactionColumns} FROM transactions t JOIN sponsorship_plans p USING (plan_id)
             WHERE t.{keyColumn} = @key AND (@after IS NULL OR t.seq < @after)
             ORDER BY t.seq DESC
             LIMIT @limit
            """)
            .With("key", key), size, after)
            .ListAsync(reader => (Seq: reader.GetInt64(10), Node: new PaymentTransaction(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetGuid(2),
                reader.GetGuid(3),
                reader.GetString(4),
                reader.GetInt64(5),
                reader.GetString(6),
                TransactionStatusStore.ParseStatus(reader.GetString(7)),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<DateTimeOffset>(9))));
        return ToPage(rows, size);
    }

    /// <summary>ACTIVE past its expiry is shown as EXPIRED even before the expiry reminder has run.</summary>
    private static ChannelSponsorship ReadSponsorship(NpgsqlDataReader reader, DateTimeOffset now)
    {
        var expiresAt = reader.GetFieldValue<DateTimeOffset>(6);
        var status = Enum.Parse<SponsorshipStatus>(reader.GetString(4), ignoreCase: true);
        return new ChannelSponsorship(
            reader.GetGuid(0),
            reader.GetGuid(1),
            reader.GetGuid(2),
            reader.GetString(3),
            status == SponsorshipStatus.Active && expiresAt <= now ? SponsorshipStatus.Expired : status,
            reader.GetFieldValue<DateTimeOffset>(5),
            expiresAt,
            reader.GetBoolean(7),
            reader.GetFieldValue<DateTimeOffset>(9));
    }

    /// <summary>The keyset arguments: rows before the cursor's <c>seq</c>, one more than a page so the extra row says there is a next one.</summary>
    private static SqlStatement Paged(SqlStatement statement, int size, string? after)
    {
        long? afterSeq = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        return statement
            .With("after", afterSeq, NpgsqlDbType.Bigint)
            .With("limit", size + 1);
    }

    private static Page<T> ToPage<T>(List<(long Seq, T Node)> rows, int size) =>
        new(
            rows.Take(size).Select(row => new Edge<T>(Cursor.Encode(row.Seq.ToString(CultureInfo.InvariantCulture)), row.Node)).ToList(),
            rows.Count > size);
}
