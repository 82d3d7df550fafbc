using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Common;

namespace WgStream.Grains.Sponsorship;

/// <summary>Read queries over plans, sponsorships and transactions; lists page by keyset on their <c>seq</c>, newest first.</summary>
public sealed class SponsorshipDirectory(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string SponsorshipColumns =
        "s.channel_id, s.payer_id, s.plan_id, p.title, s.status, s.started_at, s.expires_at, s.auto_renew, s.seq, s.paid_until";

    private const string TransactionColumns =
        "t.transaction_id, t.payer_id, t.channel_id, t.plan_id, p.title, t.amount, t.currency, t.status, t.created_at, t.updated_at, t.seq";

    /// <summary>Cheapest first.</summary>
    public async Task<IReadOnlyList<SponsorshipPlan>> PlansAsync(Guid channelId, bool includeArchived)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SponsorshipPlanStore.Columns} FROM sponsorship_plans
             WHERE channel_id = @c AND (@all OR archived_at IS NULL)
             ORDER BY price, seq
            """);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("all", includeArchived);
        await using var reader = await command.ExecuteReaderAsync();
        var plans = new List<SponsorshipPlan>();
        while (await reader.ReadAsync())
        {
            plans.Add(SponsorshipPlanStore.Read(reader).ToPlan());
        }

        return plans;
    }

    /// <summary>Everything the payer sponsors or sponsored, newest first (at most 100).</summary>
    public async Task<IReadOnlyList<ChannelSponsorship>> SponsorshipsOfAsync(Guid payerId)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SponsorshipColumns} FROM sponsorships s JOIN sponsorship_plans p USING (plan_id)
             WHERE s.payer_id = @p
             ORDER BY s.seq DESC
             LIMIT 100
            """);
        command.Parameters.AddWithValue("p", payerId);
        var now = clock.GetUtcNow();
        await using var reader = await command.ExecuteReaderAsync();
        var sponsorships = new List<ChannelSponsorship>();
        while (await reader.ReadAsync())
        {
            sponsorships.Add(ReadSponsorship(reader, now));
        }

        return sponsorships;
    }

    /// <summary>The payer's sponsorship of the channel, whatever its status, or null when there never was one.</summary>
    public async Task<ChannelSponsorship?> SponsorshipAsync(Guid channelId, Guid payerId)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SponsorshipColumns} FROM sponsorships s JOIN sponsorship_plans p USING (plan_id)
             WHERE s.channel_id = @c AND s.payer_id = @p
            """);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("p", payerId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadSponsorship(reader, clock.GetUtcNow()) : null;
    }

    public async Task<Page<ChannelSponsorship>> SponsorsAsync(Guid channelId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        await using var command = dataSource.CreateCommand($"""
            SELECT {SponsorshipColumns} FROM sponsorships s JOIN sponsorship_plans p USING (plan_id)
             WHERE s.channel_id = @c AND s.status = 'ACTIVE' AND s.expires_at > @now AND (@after IS NULL OR s.seq < @after)
             ORDER BY s.seq DESC
             LIMIT @limit
            """);
        command.Parameters.AddWithValue("c", channelId);
        var now = clock.GetUtcNow();
        command.Parameters.AddWithValue("now", now);
        AddPaging(command, size, after);
        return await ReadPageAsync(command, size, reader => ReadSponsorship(reader, now), 8);
    }

    public Task<Page<PaymentTransaction>> PayerTransactionsAsync(Guid payerId, int first, string? after) =>
        TransactionsAsync("payer_id", payerId, first, after);

    public Task<Page<PaymentTransaction>> ChannelTransactionsAsync(Guid channelId, int first, string? after) =>
        TransactionsAsync("channel_id", channelId, first, after);

    private async Task<Page<PaymentTransaction>> TransactionsAsync(string keyColumn, Guid key, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        await using var command = dataSource.CreateCommand($"""
            SELECT {TransactionColumns} FROM transactions t JOIN sponsorship_plans p USING (plan_id)
             WHERE t.{keyColumn} = @key AND (@after IS NULL OR t.seq < @after)
             ORDER BY t.seq DESC
             LIMIT @limit
            """);
        command.Parameters.AddWithValue("key", key);
        AddPaging(command, size, after);
        return await ReadPageAsync(command, size, reader => new PaymentTransaction(
            reader.GetGuid(0),
            reader.GetGuid(1),
            reader.GetGuid(2),
            reader.GetGuid(3),
            reader.GetString(4),
            reader.GetInt64(5),
            reader.GetString(6),
            PaymentLedger.ParseStatus(reader.GetString(7)),
            reader.GetFieldValue<DateTimeOffset>(8),
            reader.GetFieldValue<DateTimeOffset>(9)), 10);
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

    private static void AddPaging(NpgsqlCommand command, int size, string? after)
    {
        long? afterSeq = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Bigint) { Value = (object?)afterSeq ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", size + 1);
    }

    private static async Task<Page<T>> ReadPageAsync<T>(NpgsqlCommand command, int size, Func<NpgsqlDataReader, T> read, int seqOrdinal)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var edges = new List<Edge<T>>();
        var more = false;
        while (await reader.ReadAsync())
        {
            if (edges.Count == size)
            {
                more = true;
                break;
            }

            edges.Add(new Edge<T>(Cursor.Encode(reader.GetInt64(seqOrdinal).ToString(CultureInfo.InvariantCulture)), read(reader)));
        }

        return new Page<T>(edges, more);
    }
}
