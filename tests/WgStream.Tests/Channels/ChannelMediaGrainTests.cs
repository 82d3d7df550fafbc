using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Chat;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;
using static WgStream.Tests.Media.TestImages;

namespace WgStream.Tests.Channels;

/// <summary>
/// The upload workflow's grain on its own, with the silo's real processing and local-disk store: who
/// may change what, and that replaced files leave the store. The HTTP answers are ChannelMediaTests',
/// AdminApiTests' and EmoteApiTests'. Runs in the emote cluster, which keeps its media in a directory
/// of its own.
/// </summary>
[Collection(EmoteClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChannelMediaGrainTests(EmoteClusterFixture fixture)
{
    private IChannelMediaGrain Media => fixture.GrainFactory.GetGrain<IChannelMediaGrain>(0);

    [Fact]
    public async Task Only_the_channel_owner_sets_or_removes_its_images_and_a_refused_upload_stores_nothing()
    {
        var alice = await fixture.RegisterAsync();
        var bob = await fixture.RegisterAsync();

        var refused = await Media.SetChannelImageAsync(bob.Id, new ChannelImageUpload(alice.Id, ChannelImageKind.Avatar, Png(64, 64)));
        Assert.Null(refused.Urls);
        Assert.Equal(ErrorCodes.Forbidden, refused.Refusal?.Code);
        Assert.False(Directory.Exists(Path.Combine(fixture.MediaDirectory, "avatars", alice.Id.ToString("N"))));

        var set = await Media.SetChannelImageAsync(alice.Id, new ChannelImageUpload(alice.Id, ChannelImageKind.Avatar, Png(64, 64)));
        Assert.Null(set.Refusal);
        await RefusedAsync(() => Media.RemoveChannelImageAsync(bob.Id, alice.Id, ChannelImageKind.Avatar), ErrorCodes.Forbidden);
        Assert.Equal(set.Urls, (await Channel(alice.Id).GetAsync())!.Avatar!.Urls);
        Assert.All(set.Urls!.Values, url => Assert.True(File.Exists(PathOf(url))));

        // A file that is no image is refused by the processor, with nothing stored.
        var bad = await Media.SetChannelImageAsync(bob.Id, new ChannelImageUpload(bob.Id, ChannelImageKind.Banner, "not an image"u8.ToArray()));
        Assert.Equal(ErrorCodes.BadUserInput, bad.Refusal?.Code);
        Assert.Equal("file", bad.Refusal?.Field);
        Assert.False(Directory.Exists(Path.Combine(fixture.MediaDirectory, "banners", bob.Id.ToString("N"))));
    }

    [Fact]
    public async Task A_new_channel_image_deletes_the_files_of_the_one_it_replaces_and_removing_deletes_the_last()
    {
        var alice = await fixture.RegisterAsync();

        var first = (await Media.SetChannelImageAsync(alice.Id, new ChannelImageUpload(alice.Id, ChannelImageKind.Avatar, Png(64, 64, Red)))).Urls!;
        Assert.Equal(["300", "70"], first.Keys.Order(StringComparer.Ordinal));
        Assert.All(first.Values, url => Assert.True(File.Exists(PathOf(url))));

        var second = (await Media.SetChannelImageAsync(alice.Id, new ChannelImageUpload(alice.Id, ChannelImageKind.Avatar, Png(64, 64, Blue)))).Urls!;
        Assert.All(first.Values, url => Assert.False(File.Exists(PathOf(url))));
        Assert.All(second.Values, url => Assert.True(File.Exists(PathOf(url))));
        Assert.Equal(second, (await Channel(alice.Id).GetAsync())!.Avatar!.Urls);

        await Media.RemoveChannelImageAsync(alice.Id, alice.Id, ChannelImageKind.Avatar);
        Assert.All(second.Values, url => Assert.False(File.Exists(PathOf(url))));
        Assert.Null((await Channel(alice.Id).GetAsync())!.Avatar);

        // Removing none is not an error.
        await Media.RemoveChannelImageAsync(alice.Id, alice.Id, ChannelImageKind.Avatar);
    }

    [Fact]
    public async Task A_category_image_replaces_the_old_one_whose_file_is_deleted_and_one_for_no_category_is_not_kept()
    {
        var slug = $"t{Guid.NewGuid():N}"[..20];
        await fixture.GrainFactory.GetGrain<ICategoryAdminGrain>(0).CreateAsync(slug, "Test", null);

        var first = (await Media.SetCategoryImageAsync(new CategoryImageUpload(slug, Png(300, 400, Red)))).Urls!;
        var second = (await Media.SetCategoryImageAsync(new CategoryImageUpload(slug, Png(300, 400, Blue)))).Urls!;
        Assert.Equal("285x380", Assert.Single(second.Keys));
        Assert.False(File.Exists(PathOf(first.Values.Single())));
        Assert.True(File.Exists(PathOf(second.Values.Single())));

        await Media.RemoveCategoryImageAsync(slug);
        Assert.False(File.Exists(PathOf(second.Values.Single())));

        // The category is gone by the time the image is stored: the new file is deleted again.
        var missing = $"t{Guid.NewGuid():N}"[..20];
        var refused = await Media.SetCategoryImageAsync(new CategoryImageUpload(missing, Png(300, 400)));
        Assert.Equal(new MediaRefusal(ErrorCodes.NotFound, "No such category.", "slug", null), refused.Refusal);
        var folder = Path.Combine(fixture.MediaDirectory, "categories", missing);
        Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0);
    }

    [Fact]
    public async Task Only_the_channel_owner_adds_an_emote_and_the_added_one_answers_its_urls()
    {
        var alice = await fixture.RegisterAsync();
        var bob = await fixture.RegisterAsync();

        var refused = await Media.AddEmoteAsync(bob.Id, new EmoteImageUpload(alice.Id, "Hype", false, Png(64, 64)));
        Assert.Equal(ErrorCodes.Forbidden, refused.Refusal?.Code);
        Assert.Null(refused.Emote);
        Assert.False(Directory.Exists(Path.Combine(fixture.MediaDirectory, "emotes", alice.Id.ToString("N"))));

        var added = await Media.AddEmoteAsync(alice.Id, new EmoteImageUpload(alice.Id, "Hype", true, Png(64, 64)));
        Assert.Null(added.Refusal);
        Assert.True(added.Emote!.SponsorOnly);
        Assert.Equal(["112", "28", "56"], added.Urls!.Keys.Order(StringComparer.Ordinal));
        Assert.All(added.Urls.Values, url => Assert.True(File.Exists(PathOf(url))));
        Assert.Equal(added.Emote.Id, Assert.Single((await fixture.Emotes(alice.Id).GetAsync()).Emotes).Id);
    }

    private IChannelGrain Channel(Guid id) => fixture.GrainFactory.GetGrain<IChannelGrain>(id);

    /// <summary>Where the local store keeps the object behind <paramref name="url"/> (<c>/media/{key}</c>).</summary>
    private string PathOf(string url)
    {
        Assert.StartsWith("/media/", url, StringComparison.Ordinal);
        return Path.Combine(fixture.MediaDirectory, url["/media/".Length..]);
    }
}
