using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Sponsorship;

/// <summary>myTransactions, channelTransactions and channelSponsors as Relay connections: newest first, every item once.</summary>
[Collection(SponsorshipCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SponsorshipListingTests(SponsorshipFixture fixture)
{
    [Fact]
    public async Task Transactions_and_sponsors_page_newest_first_with_cursors()
    {
        var streamer = fixture.CreateClient();
        var channel = await streamer.RegisterAsync();
        var planId = await SponsorshipFixture.CreatePlanAsync(streamer, "Patron", 900, "uah");
        var payers = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var fan = fixture.CreateClient();
            var account = await fan.RegisterAsync();
            await fixture.PayAsync(await fixture.OpenCheckoutAsync(fan, planId), amount: 900, currency: "uah");
            payers.Add(account.Id);
        }

        var newestFirst = payers.Select(p => p.ToString()).Reverse().ToList();
        var income = await PageAllAsync(streamer, "channelTransactions", "", "status amount currency planTitle payerId channel { username }");
        Assert.Equal(3, income.Pages);
        Assert.Equal(newestFirst, income.Nodes.Select(n => n.GetProperty("payerId").GetString()));
        Assert.All(income.Nodes, n =>
        {
            Assert.Equal("SUCCESS", n.GetProperty("status").GetString());
            Assert.Equal(900, n.GetProperty("amount").GetInt64());
            Assert.Equal("uah", n.GetProperty("currency").GetString());
            Assert.Equal("Patron", n.GetProperty("planTitle").GetString());
            Assert.Equal(channel.Username, n.GetProperty("channel").GetProperty("username").GetString());
        });

        var sponsors = await PageAllAsync(fixture.CreateClient(), "channelSponsors", $"channelId: \"{channel.Id}\", ", "sponsorId status planTitle sponsor { id }");
        Assert.Equal(3, sponsors.Pages);
        Assert.Equal(newestFirst, sponsors.Nodes.Select(n => n.GetProperty("sponsorId").GetString()));
        Assert.All(sponsors.Nodes, n => Assert.Equal(n.GetProperty("sponsorId").GetString(), n.GetProperty("sponsor").GetProperty("id").GetString()));
        Assert.All(sponsors.Nodes, n => Assert.Equal("ACTIVE", n.GetProperty("status").GetString()));

        // One payer, checkouts to three channels: their own list, nobody else's.
        var spender = fixture.CreateClient();
        await spender.RegisterAsync();
        var opened = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var other = fixture.CreateClient();
            await other.RegisterAsync();
            opened.Add((await fixture.OpenCheckoutAsync(spender, await SponsorshipFixture.CreatePlanAsync(other, $"Tier {i}", 200 + i))).TransactionId.ToString());
        }

        var mine = await PageAllAsync(spender, "myTransactions", "", "id status amount");
        Assert.Equal(2, mine.Pages);
        Assert.Equal(Enumerable.Reverse(opened), mine.Nodes.Select(n => n.GetProperty("id").GetString()));
        Assert.Equal([202L, 201L, 200L], mine.Nodes.Select(n => n.GetProperty("amount").GetInt64()));
        Assert.Empty((await PageAllAsync(spender, "channelTransactions", "", "id")).Nodes);

        (await spender.SendAsync("{ myTransactions(after: \"bogus!\") { pageInfo { hasNextPage } } }")).AssertError("BAD_USER_INPUT");
        (await spender.SendAsync("{ myTransactions(first: 0) { pageInfo { hasNextPage } } }")).AssertError("BAD_USER_INPUT");
        (await spender.SendAsync("{ channelTransactions(first: 51) { pageInfo { hasNextPage } } }")).AssertError("BAD_USER_INPUT");
        (await fixture.CreateClient().SendAsync("{ myTransactions { pageInfo { hasNextPage } } }")).AssertError("UNAUTHENTICATED");
        (await fixture.CreateClient().SendAsync("{ channelTransactions { pageInfo { hasNextPage } } }")).AssertError("UNAUTHENTICATED");
        (await fixture.CreateClient().SendAsync("{ mySponsorships { status } }")).AssertError("UNAUTHENTICATED");
    }

    private static async Task<(List<JsonElement> Nodes, int Pages)> PageAllAsync(GraphQLClient client, string field, string arguments, string selection)
    {
        var nodes = new List<JsonElement>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = (await client.DataAsync(
                $"query($after: String) {{ {field}({arguments}first: 2, after: $after) {{ edges {{ cursor node {{ {selection} }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
                new { after })).GetProperty(field);
            nodes.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").Clone()));
            var info = page.GetProperty("pageInfo");
            after = info.GetProperty("hasNextPage").GetBoolean() ? info.GetProperty("endCursor").GetString() : null;
            pages++;
        }
        while (after is not null && pages < 10);
        return (nodes, pages);
    }
}
