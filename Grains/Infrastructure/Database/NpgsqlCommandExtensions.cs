using Npgsql;

namespace WgStream.Grains.Infrastructure.Database;

public static class NpgsqlCommandExtensions
{
    /// <summary>Runs the command and returns its first column as ids, in the order the rows came.</summary>
    public static async Task<IReadOnlyList<Guid>> ReadGuidsAsync(this NpgsqlCommand command, CancellationToken cancellationToken = default)
    {
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
