using Npgsql;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Tests.Infrastructure;

/// <summary>
/// Each node's connection pool is bounded, so a cluster under a burst queues its queries instead of
/// running PostgreSQL out of connections (past <c>max_connections</c> it refuses every newcomer,
/// other nodes' included).
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class DatabasePoolTests : IAsyncLifetime
{
    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Theory]
    [InlineData("Host=h;Database=d", 100)]
    [InlineData("Host=h;Database=d;Maximum Pool Size=50", 50)]
    [InlineData("Host=h;Database=d;maximum pool size=9", 9)]
    [InlineData("Host=h;Database=d;MaxPoolSize=7", 7)]
    public void The_shipped_bound_applies_unless_the_connection_string_names_one(string connectionString, int expected)
    {
        var pooled = new DatabaseOptions { ConnectionString = connectionString }.PooledConnectionString();
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(pooled).MaxPoolSize);
        Assert.Equal("d", new NpgsqlConnectionStringBuilder(pooled).Database);
    }

    [Fact]
    public void A_bound_below_one_is_refused_at_start()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new DatabaseOptions { MaxPoolSize = 0 }.PooledConnectionString());
        Assert.Contains("Database:MaxPoolSize", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_holds_no_more_connections_than_its_bound_and_the_next_query_waits_its_turn()
    {
        var tagged = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "pool-bound-test" }.ConnectionString;
        var options = new DatabaseOptions { ConnectionString = tagged, MaxPoolSize = 3 };
        await using var pool = NpgsqlDataSource.Create(options.PooledConnectionString());
        var held = new List<NpgsqlConnection>();
        for (var i = 0; i < 3; i++)
        {
            held.Add(await pool.OpenConnectionAsync());
        }

        Assert.Equal(3L, await database.DataSource.Sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pool-bound-test'").ScalarAsync<long>());

        // The fourth waits for one of the three rather than opening a fourth.
        var waiting = pool.OpenConnectionAsync().AsTask();
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await held[0].DisposeAsync();
        await using var fourth = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await new NpgsqlCommand("SELECT 1", fourth).ExecuteScalarAsync());
        foreach (var connection in held.Skip(1))
        {
            await connection.DisposeAsync();
        }
    }
}
