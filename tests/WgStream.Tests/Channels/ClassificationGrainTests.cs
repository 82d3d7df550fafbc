using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Channels;

/// <summary>
/// A channel's tags, language and mature flag: set through the broadcaster's stream settings, held
/// by the channel grain, kept across activations and written to the directory row the filters read.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ClassificationGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Tags_language_and_mature_are_kept_across_activations_and_written_to_the_directory_row()
    {
        var owner = await fixture.RegisterAsync();
        var channel = fixture.Channel(owner.Id);
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(owner.Id);

        // A new channel has none of them.
        var fresh = (await channel.GetAsync())!.Classified;
        Assert.Empty(fresh.Tags);
        Assert.Null(fresh.Language);
        Assert.False(fresh.Mature);

        var settings = await broadcaster.UpdateAsync(new StreamUpdate("Any% attempts", null, Classification: new ClassificationUpdate(
            ["SpeedRun", " Ukrainian ", "speedrun", "ГраНаживо", "n64"], "UK", true)));

        // Repeats ignoring case are dropped (the first spelling stays), blanks trimmed, the code lower-cased.
        string[] expected = ["SpeedRun", "Ukrainian", "ГраНаживо", "n64"];
        Assert.Equal(expected, settings.Classification!.Tags);
        Assert.Equal("uk", settings.Classification.Language);
        Assert.True(settings.Classification.Mature);
        Assert.Equal("Any% attempts", settings.Title);

        await fixture.DeactivateAsync(channel, broadcaster);
        var reloaded = (await channel.GetAsync())!.Classified;
        Assert.Equal(expected, reloaded.Tags);
        Assert.Equal("uk", reloaded.Language);
        Assert.True(reloaded.Mature);
        var shown = (await broadcaster.GetSettingsAsync()).Classification!;
        Assert.Equal(expected, shown.Tags);
        Assert.Equal("uk", shown.Language);
        Assert.True(shown.Mature);

        var row = await ReadRowAsync(owner.Id);
        Assert.Equal(expected, row.Tags);
        Assert.Equal(expected.Select(t => t.ToLowerInvariant()), row.TagKeys);
        Assert.Equal("uk", row.Language);
        Assert.True(row.Mature);

        // Null leaves a setting as it is; an empty language clears it; an empty list clears the tags.
        await channel.ClassifyAsync(new ClassificationUpdate(null, null, false));
        Assert.Equal(expected, (await channel.GetAsync())!.Classified.Tags);
        var cleared = (await channel.ClassifyAsync(new ClassificationUpdate([], "", null))).Classified;
        Assert.Empty(cleared.Tags);
        Assert.Null(cleared.Language);
        Assert.False(cleared.Mature);
        row = await ReadRowAsync(owner.Id);
        Assert.Empty(row.Tags);
        Assert.Null(row.Language);
        Assert.False(row.Mature);
    }

    [Fact]
    public async Task Bad_tags_and_languages_are_refused_with_their_field_and_change_nothing()
    {
        var owner = await fixture.RegisterAsync();
        var channel = fixture.Channel(owner.Id);
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(owner.Id);
        await channel.ClassifyAsync(new ClassificationUpdate(["chill"], "en", false));

        await RefusedAsync(() => channel.ClassifyAsync(new ClassificationUpdate(["two words"], null, null)), ErrorCodes.BadUserInput, "tags");
        await RefusedAsync(() => channel.ClassifyAsync(new ClassificationUpdate(["c#"], null, null)), ErrorCodes.BadUserInput, "tags");
        await RefusedAsync(() => channel.ClassifyAsync(new ClassificationUpdate([""], null, null)), ErrorCodes.BadUserInput, "tags");
        await RefusedAsync(() => channel.ClassifyAsync(new ClassificationUpdate([new string('a', 26)], null, null)), ErrorCodes.BadUserInput, "tags");
        await RefusedAsync(() => channel.ClassifyAsync(new ClassificationUpdate([new string('a', 100_000)], null, null)), ErrorCodes.BadUserInput, "tags");
        await RefusedAsync(() => channel.ClassifyAsync(new ClassificationUpdate(Enumerable.Range(0, 11).Select(i => $"tag{i}").ToList(), null, null)), ErrorCodes.BadUserInput, "tags");
        await RefusedAsync(() => channel.ClassifyAsync(new ClassificationUpdate(null, "klingon", null)), ErrorCodes.BadUserInput, "language");
        await RefusedAsync(() => channel.ClassifyAsync(new ClassificationUpdate(null, "english", null)), ErrorCodes.BadUserInput, "language");

        // One bad part refuses the whole update: the valid language and flag beside bad tags are not applied,
        // and the broadcaster's title is not written either.
        await RefusedAsync(() => channel.ClassifyAsync(new ClassificationUpdate(["ok", "not ok"], "de", true)), ErrorCodes.BadUserInput, "tags");
        await RefusedAsync(
            () => broadcaster.UpdateAsync(new StreamUpdate("Should not stick", null, Classification: new ClassificationUpdate(null, "xx", null))),
            ErrorCodes.BadUserInput,
            "language");
        Assert.NotEqual("Should not stick", (await broadcaster.GetSettingsAsync()).Title);

        // Exactly 10, each 25 letters in any script (combining marks included), are fine.
        var ten = Enumerable.Range(0, 10).Select(i => new string((char)('a' + i), 25)).ToList();
        Assert.Equal(ten, (await channel.ClassifyAsync(new ClassificationUpdate(ten, null, null))).Classified.Tags);
        Assert.Equal(["हिन्दी", "ไทย"], (await channel.ClassifyAsync(new ClassificationUpdate(["हिन्दी", "ไทย"], null, null))).Classified.Tags);

        var kept = (await channel.GetAsync())!.Classified;
        Assert.Equal("en", kept.Language);
        Assert.False(kept.Mature);
    }

    [Fact]
    public async Task A_channel_that_does_not_exist_cannot_be_classified()
    {
        await RefusedAsync(() => fixture.Channel(Guid.NewGuid()).ClassifyAsync(new ClassificationUpdate(["x1"], null, null)), ErrorCodes.NotFound);
    }

    private async Task<(string[] Tags, string[] TagKeys, string? Language, bool Mature)> ReadRowAsync(Guid channelId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand("SELECT tags, tag_keys, language, mature FROM channels WHERE channel_id = @id");
        command.Parameters.AddWithValue("id", channelId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetFieldValue<string[]>(0), reader.GetFieldValue<string[]>(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3));
    }
}
