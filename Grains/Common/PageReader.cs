using Npgsql;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Grains.Common;

/// <summary>One page of a keyset query that asked for one row more than <c>size</c>: that extra row only says there is a next page.</summary>
public static class PageReader
{
    public static async Task<Page<T>> ReadAsync<T>(NpgsqlCommand command, int size, Func<NpgsqlDataReader, T> read, Func<T, string> cursorOf)
    {
        var edges = new List<Edge<T>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (edges.Count == size)
            {
                return new Page<T>(edges, true);
            }

            var node = read(reader);
            edges.Add(new Edge<T>(cursorOf(node), node));
        }

        return new Page<T>(edges, false);
    }
}
