using NpgsqlTypes;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Tests.Infrastructure;

/// <summary>The data-access helper every store uses, against a real PostgreSQL.</summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SqlStatementTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task Statements_write_read_and_convert_what_the_stores_need()
    {
        var db = database.DataSource;
        await db.Sql("CREATE TABLE t (id uuid PRIMARY KEY, name text, at timestamptz NOT NULL)").ExecuteAsync();
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var at = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(1, await db.Sql("INSERT INTO t VALUES (@id, @name, @at)").With("id", a).With("name", "first").With("at", at).ExecuteAsync());
        // A null argument is SQL NULL, typed where PostgreSQL could not tell.
        await db.Sql("INSERT INTO t VALUES (@id, @name, @at)").With("id", b).With("name", null, NpgsqlDbType.Text).With("at", at.AddMinutes(1)).ExecuteAsync();

        Assert.Equal(2, await db.Sql("SELECT count(*) FROM t").ScalarAsync<int>());
        Assert.Equal(at, await db.Sql("SELECT at FROM t WHERE id = @id").With("id", a).ScalarAsync<DateTimeOffset?>());
        Assert.Null(await db.Sql("SELECT at FROM t WHERE id = @id").With("id", Guid.NewGuid()).ScalarAsync<DateTimeOffset?>());
        Assert.Null(await db.Sql("SELECT name FROM t WHERE id = @id").With("id", b).ScalarAsync<string>());

        var rows = await db.Sql("SELECT id, name FROM t ORDER BY at").ListAsync(r => (r.GetGuid(0), r.IsDBNull(1) ? null : r.GetString(1)));
        Assert.Equal([(a, "first"), (b, (string?)null)], rows);
        Assert.Equal("first", await db.Sql("SELECT name FROM t WHERE id = @id").With("id", a).FirstOrDefaultAsync(r => r.GetString(0)));
        Assert.Null(await db.Sql("SELECT name FROM t WHERE id = @id").With("id", Guid.NewGuid()).FirstOrDefaultAsync(r => r.GetString(0)));

        // Inside a transaction: rolled back, nothing stays.
        await using (var connection = await db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.Sql("DELETE FROM t", transaction).ExecuteAsync();
            Assert.Equal(0, await connection.Sql("SELECT count(*) FROM t", transaction).ScalarAsync<long>());
        }

        Assert.Equal(2L, await db.Sql("SELECT count(*) FROM t").ScalarAsync<long>());
    }
}
