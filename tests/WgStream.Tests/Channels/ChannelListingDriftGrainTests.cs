using WgStream.GrainInterfaces.Channels;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Channels;

/// <summary>
/// A channel grain writes its state and then its directory row (issue 15): a failure between the
/// two must not leave search and discovery showing stale data for good.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChannelListingDriftGrainTests(ClusterFixture fixture)
{
    private const string DisplayNameSql = "SELECT display_name FROM channels WHERE channel_id = @id";

    [Fact]
    public async Task A_row_write_that_failed_after_the_state_write_is_redone_when_the_grain_activates()
    {
        var user = await fixture.RegisterAsync();
        var channel = fixture.GrainFactory.GetGrain<IChannelGrain>(user.Id);
        await channel.UpdateAsync(new ChannelUpdate("Before", null));
        Assert.Equal("Before", await fixture.ScalarAsync<string>(DisplayNameSql, user.Id));

        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "channels", $"NEW.channel_id = '{user.Id}'"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => channel.UpdateAsync(new ChannelUpdate("After", "new bio")));
        }

        // The drift itself: the grain's state was written, the row was not.
        Assert.Equal("After", (await channel.GetAsync())!.DisplayName);
        Assert.Equal("Before", await fixture.ScalarAsync<string>(DisplayNameSql, user.Id));

        // A silo that stops loses the activation; the next one finds its row behind and rewrites it.
        await fixture.DeactivateOneAsync(channel);
        Assert.Equal("After", (await channel.GetAsync())!.DisplayName);
        Assert.Equal("After", await fixture.ScalarAsync<string>(DisplayNameSql, user.Id));
    }

    [Fact]
    public async Task The_next_write_repairs_a_stale_row_and_an_older_write_never_overwrites_a_newer_row()
    {
        var user = await fixture.RegisterAsync();
        var channel = fixture.GrainFactory.GetGrain<IChannelGrain>(user.Id);
        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "channels", $"NEW.channel_id = '{user.Id}'"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => channel.UpdateAsync(new ChannelUpdate("Lost", null)));
        }

        // The activation lives on (the failure was an error, not a crash): the next change writes the whole row.
        await channel.UpdateAsync(new ChannelUpdate(null, "a bio"));
        Assert.Equal("Lost", await fixture.ScalarAsync<string>(DisplayNameSql, user.Id));
        var version = await fixture.ScalarAsync<long>("SELECT listing_version FROM channels WHERE channel_id = @id", user.Id);

        // A row already written at a later version (as by a newer write that overtook this one) is left alone.
        await fixture.ExecuteAsync("UPDATE channels SET display_name = 'Newer', listing_version = listing_version + 10 WHERE channel_id = @id", user.Id);
        await channel.UpdateAsync(new ChannelUpdate("Older", null));
        Assert.Equal("Newer", await fixture.ScalarAsync<string>(DisplayNameSql, user.Id));
        Assert.Equal(version + 10, await fixture.ScalarAsync<long>("SELECT listing_version FROM channels WHERE channel_id = @id", user.Id));
    }

    [Fact]
    public async Task A_channel_whose_row_was_never_written_gets_it_when_activated()
    {
        var user = await fixture.RegisterAsync();
        var channel = fixture.GrainFactory.GetGrain<IChannelGrain>(user.Id);
        // As if CreateAsync stopped between the state and the row (the account registry's rows are separate).
        await fixture.ExecuteAsync("DELETE FROM channels WHERE channel_id = @id", user.Id);
        await fixture.DeactivateOneAsync(channel);

        Assert.NotNull(await channel.GetAsync());
        Assert.Equal(user.Username, await fixture.ScalarAsync<string>("SELECT username FROM channels WHERE channel_id = @id", user.Id));
        var found = await fixture.GrainFactory.GetGrain<IChannelDirectoryGrain>(0).FindByUsernameAsync(user.Username);
        Assert.Equal(user.Id, found);
    }
}
