using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Grains.Sponsorship;

/// <summary>A plan as stored, with the Stripe objects behind it.</summary>
public sealed record StoredPlan(
    Guid Id,
    Guid ChannelId,
    string Title,
    string Description,
    long Price,
    string Currency,
    int PriceVersion,
    string? StripeProductId,
    string? StripeProductName,
    string? StripePriceId,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public SponsorshipPlan ToPlan() => new(Id, ChannelId, Title, Description, Price, Currency, ArchivedAt is not null, CreatedAt, UpdatedAt);
}

/// <summary>The <c>sponsorship_plans</c> table; each plan is written only by its own SponsorshipPlanGrain.</summary>
public sealed class SponsorshipPlanStore(NpgsqlDataSource dataSource)
{
    internal const string Columns =
        "plan_id, channel_id, title, description, price, currency, price_version, stripe_product_id, stripe_product_name, stripe_price_id, archived_at, created_at, updated_at";

    public async Task<StoredPlan?> GetAsync(Guid planId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM sponsorship_plans WHERE plan_id = @id");
        command.Parameters.AddWithValue("id", planId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    public async Task<int> CountActiveAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM sponsorship_plans WHERE channel_id = @c AND archived_at IS NULL");
        command.Parameters.AddWithValue("c", channelId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task InsertAsync(StoredPlan plan)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO sponsorship_plans ({Columns})
            VALUES (@id, @channel, @title, @description, @price, @currency, @version, @product, @product_name, @price_id, @archived, @created, @updated)
            """);
        Bind(command, plan);
        await command.ExecuteNonQueryAsync();
    }

    public async Task UpdateAsync(StoredPlan plan)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE sponsorship_plans
               SET title = @title, description = @description, price = @price, currency = @currency,
                   price_version = @version, stripe_product_id = @product, stripe_product_name = @product_name,
                   stripe_price_id = @price_id, archived_at = @archived, updated_at = @updated
             WHERE plan_id = @id
            """);
        Bind(command, plan);
        await command.ExecuteNonQueryAsync();
    }

    internal static StoredPlan Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(4),
        reader.GetString(5),
        reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        reader.GetFieldValue<DateTimeOffset>(11),
        reader.GetFieldValue<DateTimeOffset>(12));

    private static void Bind(NpgsqlCommand command, StoredPlan plan)
    {
        command.Parameters.AddWithValue("id", plan.Id);
        command.Parameters.AddWithValue("channel", plan.ChannelId);
        command.Parameters.AddWithValue("title", plan.Title);
        command.Parameters.AddWithValue("description", plan.Description);
        command.Parameters.AddWithValue("price", plan.Price);
        command.Parameters.AddWithValue("currency", plan.Currency);
        command.Parameters.AddWithValue("version", plan.PriceVersion);
        command.Parameters.Add(new NpgsqlParameter("product", NpgsqlDbType.Text) { Value = (object?)plan.StripeProductId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("product_name", NpgsqlDbType.Text) { Value = (object?)plan.StripeProductName ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("price_id", NpgsqlDbType.Text) { Value = (object?)plan.StripePriceId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("archived", NpgsqlDbType.TimestampTz) { Value = (object?)plan.ArchivedAt ?? DBNull.Value });
        command.Parameters.AddWithValue("created", plan.CreatedAt);
        command.Parameters.AddWithValue("updated", plan.UpdatedAt);
    }
}
