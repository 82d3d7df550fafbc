using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using static WgStream.Tests.Admin.SiteBanClusterFixture;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Admin;

/// <summary>Operators' categories (create, rename, reorder, image), and a report resolved with a site ban.</summary>
[Collection(SiteBanClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class CategoryAdminGrainTests(SiteBanClusterFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.EnsureOperatorsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private ICategoryAdminGrain Categories => fixture.GrainFactory.GetGrain<ICategoryAdminGrain>(0);

    private IChannelDirectoryGrain Directory => fixture.GrainFactory.GetGrain<IChannelDirectoryGrain>(0);

    [Fact]
    public async Task Categories_are_created_at_the_end_renamed_reordered_and_given_an_image_with_existing_slugs_kept()
    {
        var slug = $"cat-{Guid.NewGuid():N}"[..20];
        await RefusedAsync(() => Categories.CreateAsync("Bad Slug", "x", null), ErrorCodes.BadUserInput, "slug");
        await RefusedAsync(() => Categories.CreateAsync("-x", "x", null), ErrorCodes.BadUserInput, "slug");
        await RefusedAsync(() => Categories.CreateAsync(slug, "  ", null), ErrorCodes.BadUserInput, "nameEn");
        await RefusedAsync(() => Categories.CreateAsync(slug, "Board games", new string('я', 61)), ErrorCodes.BadUserInput, "nameUk");
        await RefusedAsync(() => Categories.CreateAsync("games", "Games again", null), ErrorCodes.BadUserInput, "slug");

        var created = await Categories.CreateAsync(slug, " Board games ", null);
        Assert.Equal((slug, "Board games", "Board games"), (created.Slug, created.NameEn, created.NameUk));
        var all = await Directory.CategoriesAsync();
        Assert.Equal(slug, all[^1].Slug);
        Assert.Contains(all, c => c.Slug == "games"); // the shipped slugs stay

        var renamed = await Categories.RenameAsync(slug, null, "Настільні ігри");
        Assert.Equal(("Board games", "Настільні ігри"), (renamed.NameEn, renamed.NameUk));
        await RefusedAsync(() => Categories.RenameAsync("no-such-category", "x", null), ErrorCodes.NotFound);
        Assert.Equal("Настільні ігри", (await Directory.CategoryAsync(slug))!.NameUk);

        // The new one first, the rest as they were.
        var order = all.Select(c => c.Slug).Where(s => s != slug).Prepend(slug).ToList();
        Assert.Equal(order, (await Categories.ReorderAsync(order)).Select(c => c.Slug));
        Assert.Equal(order, (await Directory.CategoriesAsync()).Select(c => c.Slug));
        await RefusedAsync(() => Categories.ReorderAsync([.. order, slug]), ErrorCodes.BadUserInput, "slugs");
        await RefusedAsync(() => Categories.ReorderAsync(order.Skip(1).ToList()), ErrorCodes.Conflict);
        await RefusedAsync(() => Categories.ReorderAsync([.. order.Skip(1), "unknown-slug"]), ErrorCodes.Conflict);

        var image = new ChannelImage(new Dictionary<string, string> { ["285x380"] = "http://media.test/a.webp" }, ["categories/a.webp"]);
        Assert.Empty(await Categories.SetImageAsync(slug, image));
        Assert.Equal("http://media.test/a.webp", (await Directory.CategoryAsync(slug))!.ImageUrl);
        Assert.Equal(["categories/a.webp"], await Categories.SetImageAsync(slug, null));
        Assert.Null((await Directory.CategoryAsync(slug))!.ImageUrl);
        await RefusedAsync(() => Categories.SetImageAsync("no-such-category", null), ErrorCodes.NotFound);

        // Put the shipped order back for other tests of this collection.
        await Categories.ReorderAsync(all.Select(c => c.Slug).ToList());
    }

    [Fact]
    public async Task An_operator_resolves_a_report_in_a_room_they_do_not_moderate_with_a_site_ban_and_moderators_cannot()
    {
        var room = await fixture.NewRoomAsync();
        var troll = await fixture.RegisterAsync();
        var reporter = await fixture.RegisterAsync();
        var reports = fixture.GrainFactory.GetGrain<IReportsGrain>(0);
        var report = await reports.FileAsync(reporter.Id, new ReportRequest(room.Id, troll.Id, null, "spam bot"));

        // The broadcaster moderates the room, but a site ban is the operators'.
        await RefusedAsync(() => reports.ResolveAsync(room.Id, report.Id, ReportAction.SiteBan, null, null, asOperator: false), ErrorCodes.Forbidden);
        // An operator outside the room still cannot act in its chat.
        await RefusedAsync(() => reports.ResolveAsync(OperatorId, report.Id, ReportAction.Timeout, null, null, asOperator: true), ErrorCodes.Forbidden);

        var resolved = await reports.ResolveAsync(OperatorId, report.Id, ReportAction.SiteBan, null, null, asOperator: true);
        Assert.Equal((ReportAction.SiteBan, OperatorId), (resolved.Action, resolved.ResolvedBy));
        var ban = await fixture.GrainFactory.GetGrain<GrainInterfaces.Accounts.ISiteBanGrain>(troll.Id).GetAsync();
        Assert.Equal(("spam bot", OperatorId), (ban!.Reason, ban.BannedBy));
        await RefusedAsync(() => troll.LoginAsync(), ErrorCodes.AccountBanned);
        await RefusedAsync(() => reports.ResolveAsync(OperatorId, report.Id, ReportAction.SiteBan, null, null, asOperator: true), ErrorCodes.Conflict);
    }
}
