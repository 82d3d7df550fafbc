using Npgsql;

namespace WgStream.Grains.Infrastructure.Database;

/// <summary>Where a <see cref="SqlStatement"/> starts: a pooled connection, or one inside a transaction.</summary>
public static class SqlExtensions
{
    public static SqlStatement Sql(this NpgsqlDataSource dataSource, string sql) => new(dataSource.CreateCommand(sql));

    public static SqlStatement Sql(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(new NpgsqlCommand(sql, connection, transaction));
}
