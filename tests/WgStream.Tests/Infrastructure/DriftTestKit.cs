using Orleans.Core.Internal;

namespace WgStream.Tests.Infrastructure;

/// <summary>Shortcuts for the drift tests: a half-done write is left behind, then the system must converge.</summary>
public static class DriftTestKit
{
    /// <summary>
    /// Deactivates just this grain (as a silo that stopped would lose it) and waits until it is gone,
    /// so its next call activates it from storage. Only this one: collecting every idle activation
    /// would also take grains whose in-memory state other tests of the collection rely on.
    /// </summary>
    public static async Task DeactivateOneAsync(this ClusterFixture fixture, IAddressable grain)
    {
        var management = fixture.GrainFactory.GetGrain<IManagementGrain>(0);
        if (await management.GetGrainActivationCount((GrainReference)grain) == 0)
        {
            return;
        }

        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await management.GetGrainActivationCount((GrainReference)grain) != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{grain} did not deactivate.");
            await Task.Delay(50);
        }
    }

    /// <summary>One value of one row (null when there is no row, or the value is NULL).</summary>
    public static async Task<T?> ScalarAsync<T>(this ClusterFixture fixture, string sql, Guid id)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync() is T value ? value : default;
    }

    public static async Task ExecuteAsync(this ClusterFixture fixture, string sql, Guid id)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with <paramref name="what"/> after a generous bound.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(100);
        }
    }
}
