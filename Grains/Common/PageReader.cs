using Npgsql;
using WgStream.GrainInterfaces.Channels;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Common;

/// <summary>One page of a keyset query that asked for one row more than <c>size</c>: that extra row only says there is a next page.</summary>
public static class PageReader
{
    /// <summary>Runs a keyset query that selects <c>LIMIT size + 1</c> rows; each row is read with its cursor.</summary>
    public static async Task<Page<T>> PageAsync<T>(this SqlStatement statement, int size, Func<NpgsqlDataReader, Edge<T>> readEdge)
    {
        var rows = await statement.ListAsync(readEdge);
        return rows.Count > size ? new Page<T>(rows[..size], true) : new Page<T>(rows, false);
    }

    /// <summary>Runs a keyset query that selects <c>LIMIT size + 1</c> rows; a row's cursor comes from what was read.</summary>
    public static Task<Page<T>> PageAsync<T>(this SqlStatement statement, int size, Func<NpgsqlDataReader, T> read, Func<T, string> cursorOf) =>
        statement.PageAsync(size, reader =>
        {
            var node = read(reader);
            return new Edge<T>(cursorOf(node), node);
        });
}
