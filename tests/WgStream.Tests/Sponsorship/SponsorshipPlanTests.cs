using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Sponsorship;

[Collection(SponsorshipCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SponsorshipPlanTests(SponsorshipFixture fixture)
{
    private const string PlanFields = "id channelId title description price currency archived";
    private const string Create = $"mutation($i: CreateSponsorshipPlanInput!) {{ createSponsorshipPlan(input: $i) {{ {PlanFields} }} }}";
    private const string Update = $"mutation($id: ID!, $i: UpdateSponsorshipPlanInput!) {{ updateSponsorshipPlan(id: $id, input: $i) {{ {PlanFields} }} }}";
    private const string Archive = $"mutation($id: ID!) {{ archiveSponsorshipPlan(id: $id) {{ {PlanFields} }} }}";
    private const string List = $"query($c: ID!, $all: Boolean) {{ sponsorshipPlans(channelId: $c, includeArchived: $all) {{ {PlanFields} }} }}";

    [Fact]
    public async Task Owners_create_update_archive_and_list_their_plans()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();

        var created = (await owner.DataAsync(Create, new { i = new { title = "  Gold\u0007 ", description = "Line one\nline two", price = 1500, currency = "EUR" } }))
            .GetProperty("createSponsorshipPlan");
        Assert.Equal("Gold", created.GetProperty("title").GetString());
        Assert.Equal("Line one\nline two", created.GetProperty("description").GetString());
        Assert.Equal(1500, created.GetProperty("price").GetInt32());
        Assert.Equal("eur", created.GetProperty("currency").GetString());
        Assert.Equal(account.Id.ToString(), created.GetProperty("channelId").GetString());
        var goldId = created.GetProperty("id").GetString();

        var cheap = await SponsorshipFixture.CreatePlanAsync(owner, "Bronze", 100);
        var updated = (await owner.DataAsync(Update, new { id = goldId, i = new { title = "Gold+", price = 2000 } })).GetProperty("updateSponsorshipPlan");
        Assert.Equal("Gold+", updated.GetProperty("title").GetString());
        Assert.Equal("Line one\nline two", updated.GetProperty("description").GetString());
        Assert.Equal(2000, updated.GetProperty("price").GetInt32());
        Assert.Equal("eur", updated.GetProperty("currency").GetString());

        var viewer = fixture.CreateClient();
        var listed = await TitlesAsync(viewer, account.Id, includeArchived: false);
        Assert.Equal(["Bronze", "Gold+"], listed);

        var archived = (await owner.DataAsync(Archive, new { id = cheap })).GetProperty("archiveSponsorshipPlan");
        Assert.True(archived.GetProperty("archived").GetBoolean());
        Assert.True((await owner.DataAsync(Archive, new { id = cheap })).GetProperty("archiveSponsorshipPlan").GetProperty("archived").GetBoolean());
        Assert.Equal(["Gold+"], await TitlesAsync(viewer, account.Id, includeArchived: false));
        Assert.Equal(["Bronze", "Gold+"], await TitlesAsync(owner, account.Id, includeArchived: true));

        (await owner.SendAsync(Update, new { id = cheap, i = new { title = "Back" } })).AssertError("BAD_USER_INPUT");
    }

    [Fact]
    public async Task Plans_are_validated_against_the_configured_limits()
    {
        var owner = fixture.CreateClient();
        await owner.RegisterAsync();
        var bad = new object[]
        {
            new { title = "   ", description = "", price = 500, currency = "usd" },
            new { title = new string('t', 61), description = "", price = 500, currency = "usd" },
            new { title = "Ok", description = new string('d', 501), price = 500, currency = "usd" },
            new { title = "Ok", description = "", price = 99, currency = "usd" },
            new { title = "Ok", description = "", price = 100_001, currency = "usd" },
            new { title = "Ok", description = "", price = 0, currency = "usd" },
            new { title = "Ok", description = "", price = -500, currency = "usd" },
            new { title = "Ok", description = "", price = 500, currency = "gbp" },
            new { title = "Ok", description = "", price = 500, currency = "" },
        };
        var fields = new List<string?>();
        foreach (var input in bad)
        {
            var response = await owner.SendAsync(Create, new { i = input });
            response.AssertError("BAD_USER_INPUT");
            fields.Add(response.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        }

        Assert.Equal(["title", "title", "description", "price", "price", "price", "price", "currency", "currency"], fields);

        var edges = (await owner.DataAsync(Create, new { i = new { title = new string('t', 60), description = new string('d', 500), price = 100_000, currency = "uah" } }))
            .GetProperty("createSponsorshipPlan");
        Assert.Equal(100_000, edges.GetProperty("price").GetInt32());
        var id = edges.GetProperty("id").GetString();
        (await owner.SendAsync(Update, new { id, i = new { price = 50 } })).AssertError("BAD_USER_INPUT");
        (await owner.SendAsync(Update, new { id, i = new { currency = "jpy" } })).AssertError("BAD_USER_INPUT");
        (await owner.SendAsync(Update, new { id, i = new { title = "" } })).AssertError("BAD_USER_INPUT");
    }

    [Fact]
    public async Task Only_the_owner_changes_plans_or_sees_archived_ones()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var planId = await SponsorshipFixture.CreatePlanAsync(owner, "Fan club", 300);
        var other = fixture.CreateClient();
        await other.RegisterAsync();
        var anonymous = fixture.CreateClient();

        (await other.SendAsync(Update, new { id = planId, i = new { price = 100 } })).AssertError("FORBIDDEN");
        (await other.SendAsync(Archive, new { id = planId })).AssertError("FORBIDDEN");
        (await other.SendAsync(List, new { c = account.Id, all = true })).AssertError("FORBIDDEN");
        (await anonymous.SendAsync(Update, new { id = planId, i = new { price = 100 } })).AssertError("UNAUTHENTICATED");
        (await anonymous.SendAsync(Create, new { i = new { title = "x", description = "", price = 500, currency = "usd" } })).AssertError("UNAUTHENTICATED");
        (await anonymous.SendAsync(List, new { c = account.Id, all = true })).AssertError("UNAUTHENTICATED");
        (await other.SendAsync(Update, new { id = Guid.NewGuid(), i = new { price = 100 } })).AssertError("NOT_FOUND");
        (await other.SendAsync(Archive, new { id = "not-an-id" })).AssertError("BAD_USER_INPUT");

        var plan = Assert.Single((await anonymous.DataAsync(List, new { c = account.Id, all = false })).GetProperty("sponsorshipPlans").EnumerateArray());
        Assert.Equal(300, plan.GetProperty("price").GetInt32());
        Assert.False(plan.GetProperty("archived").GetBoolean());
    }

    private static async Task<List<string?>> TitlesAsync(GraphQLClient client, Guid channelId, bool includeArchived) =>
        (await client.DataAsync(List, new { c = channelId, all = includeArchived })).GetProperty("sponsorshipPlans")
            .EnumerateArray().Select(p => p.GetProperty("title").GetString()).ToList();
}
