using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>
/// Validated documents are reused by exact text (<c>DocumentCache</c>): what a cached document still
/// checks per request, and that nothing of one request is served for another.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class DocumentCacheTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_cached_document_still_checks_each_requests_variables()
    {
        var client = fixture.CreateClient();
        var channel = await client.RegisterAsync();
        var query = $"query CacheVars{Guid.NewGuid():N}($u: String!) {{ channel(username: $u) {{ id username }} }}";

        for (var i = 0; i < 3; i++)
        {
            var found = await client.SendAsync(query, new { u = channel.Username });
            Assert.True(found.Succeeded, found.Body);
            Assert.Equal(channel.Id.ToString(), found.Data.GetProperty("channel").GetProperty("id").GetString());
        }

        (await client.SendAsync(query, new { })).AssertError("BAD_USER_INPUT");
        (await client.SendAsync(query, new { u = 42 })).AssertError("BAD_USER_INPUT");
        Assert.True((await client.SendAsync(query, new { u = channel.Username })).Succeeded);
    }

    [Fact]
    public async Task A_document_one_character_away_from_a_cached_one_is_validated_on_its_own()
    {
        var client = fixture.CreateClient();
        var channel = await client.RegisterAsync();
        var marker = Guid.NewGuid().ToString("N");
        var valid = $"query Near{marker}($u: String!) {{ channel(username: $u) {{ id }} }}";
        var invalid = $"query Near{marker}($u: String!) {{ channel(username: $u) {{ idx }} }}";
        Assert.True((await client.SendAsync(valid, new { u = channel.Username })).Succeeded);
        Assert.True((await client.SendAsync(valid, new { u = channel.Username })).Succeeded);

        var refused = await client.SendAsync(invalid, new { u = channel.Username });
        Assert.False(refused.Succeeded);
        Assert.Contains("idx", refused.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);

        // A document that failed validation is not kept: it fails the same way every time.
        Assert.False((await client.SendAsync(invalid, new { u = channel.Username })).Succeeded);
    }

    [Fact]
    public async Task Two_users_sending_the_same_document_each_get_their_own_answer()
    {
        var query = $"query Me{Guid.NewGuid():N} {{ me {{ id email }} }}";
        var first = fixture.CreateClient();
        var firstAccount = await first.RegisterAsync();
        var second = fixture.CreateClient();
        var secondAccount = await second.RegisterAsync();
        var anonymous = fixture.CreateClient();

        Assert.Equal(firstAccount.Email, (await first.DataAsync(query)).GetProperty("me").GetProperty("email").GetString());
        Assert.Equal(secondAccount.Email, (await second.DataAsync(query)).GetProperty("me").GetProperty("email").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await anonymous.DataAsync(query)).GetProperty("me").ValueKind);
        Assert.Equal(firstAccount.Id.ToString(), (await first.DataAsync(query)).GetProperty("me").GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_complexity_limit_holds_for_a_cached_document()
    {
        var client = fixture.CreateClient();
        // Accepted once, so cached; the same text asking for more than the limit allows is still refused.
        var query = $"query Deep{Guid.NewGuid():N}($n: Int!) {{ liveChannels(first: $n) {{ edges {{ node {{ id username }} }} }} }}";
        Assert.True((await client.SendAsync(query, new { n = 5 })).Succeeded);
        Assert.True((await client.SendAsync(query, new { n = 5 })).Succeeded);
        var big = await client.SendAsync(query, new { n = 1_000_000 });
        big.AssertError("QUERY_TOO_COMPLEX");
        Assert.Contains("too complex", big.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
