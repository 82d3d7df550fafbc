using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace WgStream.Grains.Infrastructure.Database;

/// <summary>
/// One SQL statement, its arguments and how its rows are read, run once. It exists so a store
/// method reads as its SQL: <c>db.Sql("UPDATE … WHERE id = @id").With("id", id).ExecuteAsync()</c>
/// instead of a command, a line per parameter and a reader loop. A null argument is sent as SQL
/// NULL; pass an <see cref="NpgsqlDbType"/> where PostgreSQL cannot infer a NULL's type from the
/// statement. Each terminal method runs the command and disposes it.
/// </summary>
public sealed class SqlStatement(NpgsqlCommand command)
{
    public SqlStatement With(string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return this;
    }

    public SqlStatement With(string name, object? value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return this;
    }

    /// <summary>Runs the statement; the number of rows it changed.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The first column of the first row, or <c>default</c> when there is no row or it is NULL.</summary>
    public async Task<T?> ScalarAsync<T>(CancellationToken cancellationToken = default)
    {
        await using (command)
        {
            return Convert<T>(await command.ExecuteScalarAsync(cancellationToken));
        }
    }

    /// <summary>Every row, read by <paramref name="read"/>, in the order they came.</summary>
    public async Task<List<T>> ListAsync<T>(Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken = default)
    {
        await using (command)
        {
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }

    /// <summary>The first row read by <paramref name="read"/>, or <c>default</c> when there is none.</summary>
    public async Task<T?> FirstOrDefaultAsync<T>(Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken = default)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? read(reader) : default;
        }
    }

    private static T? Convert<T>(object? value)
    {
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value switch
        {
            null or DBNull => default,
            T typed => typed,
            // timestamptz comes back as a UTC DateTime; the domain speaks DateTimeOffset.
            DateTime at when target == typeof(DateTimeOffset) => (T)(object)new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
            // count(*) is a bigint; callers ask for the int they store.
            _ => (T)System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture),
        };
    }
}
