using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>Raids over GraphQL: who may ask, and the codes for what cannot be.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class RaidApiTests(ApiFixture fixture)
{
    private const string Raid = "mutation($u: String!) { raidChannel(username: $u) { toUsername viewers } }";

    [Fact]
    public async Task Raids_and_their_settings_are_the_signed_in_broadcasters_with_stable_codes_for_what_cannot_be()
    {
        var owner = fixture.CreateClient();
        await owner.RegisterAsync();
        var other = await fixture.CreateClient().RegisterAsync();

        (await fixture.CreateClient().SendAsync(Raid, new { u = other.Username })).AssertError("UNAUTHENTICATED");
        (await fixture.CreateClient().SendAsync("{ raidPolicy }")).AssertError("UNAUTHENTICATED");
        (await owner.SendAsync(Raid, new { u = "nobody_by_this_name" })).AssertError("NOT_FOUND");
        (await owner.SendAsync(Raid, new { u = new string('x', 300) })).AssertError("NOT_FOUND");
        (await owner.SendAsync(Raid, new { u = other.Username })).AssertError("CONFLICT"); // not live

        Assert.Equal("EVERYONE", (await owner.DataAsync("{ raidPolicy }")).GetProperty("raidPolicy").GetString());
        Assert.Equal("FOLLOWED_ONLY", (await owner.DataAsync("mutation { setRaidPolicy(policy: FOLLOWED_ONLY) }")).GetProperty("setRaidPolicy").GetString());
        Assert.Equal("FOLLOWED_ONLY", (await owner.DataAsync("{ raidPolicy }")).GetProperty("raidPolicy").GetString());
        (await owner.SendAsync("mutation { setRaidPolicy(policy: SOMETIMES) }")).AssertError("BAD_USER_INPUT");
    }
}
