using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Infrastructure.Database;

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

    public Task<StoredPlan?> GetAsync(Guid planId) =>
        dataSource.Sql($"SELECT {Columns} FROM sponsorship_plans WHERE plan_id = @id")
            .With("id", planId)
            .FirstOrDefaultAsync(Read);

    public Task<int> CountActiveAsync(Guid channelId) =>
        dataSource.Sql("SELECT count(*) FROM sponsorship_plans WHERE channel_id = @c AND archived_at IS NULL")
            .With("c", channelId)
            .ScalarAsync<int>();

    public Task InsertAsync(StoredPlan plan) =>
        Bind(dataSource.Sql($"""
            INSERT INTO sponsorship_plans ({Columns})
            VALUES (@id, @channel, @title, @description, @price, @currency, @version, @product, @product_name, @price_id, @archived, @created, @updated)
            """), plan)
            .ExecuteAsync();

    public Task UpdateAsync(StoredPlan plan) =>
        Bind(dataSource.Sql("""
            UPDATE sponsorship_plans
               SET title = @title, description = @description, price = @price, currency = @currency,
                   price_version = @version, stripe_product_id = @product, stripe_product_name = @product_name,
                   stripe_price_id = @price_id, archived_at = @archived, updated_at = @updated
             WHERE plan_id = @id
            """), plan)
            .ExecuteAsync();

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

    private static SqlStatement Bind(SqlStatement statement, StoredPlan plan) =>
        statement
            .With("id", plan.Id)
            .With("channel", plan.ChannelId)
            .With("title", plan.Title)
            .With("description", plan.Description)
            .With("price", plan.Price)
            .With("currency", plan.Currency)
            .With("version", plan.PriceVersion)
            .With("product", plan.StripeProductId, NpgsqlDbType.Text)
            .With("product_name", plan.StripeProductName, NpgsqlDbType.Text)
            .With("price_id", plan.StripePriceId, NpgsqlDbType.Text)
            .With("archived", plan.ArchivedAt, NpgsqlDbType.TimestampTz)
            .With("created", plan.CreatedAt)
            .With("updated", plan.UpdatedAt);
}
