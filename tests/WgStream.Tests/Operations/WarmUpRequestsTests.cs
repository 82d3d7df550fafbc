using WgStream.Api.Hosting;

namespace WgStream.Tests.Operations;

[Trait(TestKind.Name, TestKind.Unit)]

public sealed class WarmUpRequestsTests
{
    private static readonly Dictionary<string, string> Documents = new()
    {
        ["sha256:1"] = "query Me { me { id } }",
        ["sha256:2"] = "fragment F on Channel { id } query ChannelPage($u: String!) { channel(username: $u) { ...F } }",
        ["sha256:3"] = "query Sponsors($after: String, $c: ID!, $first: Int!) { channelSponsors(channelId: $c, first: $first, after: $after) { edges { cursor } } }",
        ["sha256:4"] = "mutation Follow($c: ID!) { follow(channelId: $c) { id } }",
        ["sha256:5"] = "subscription S($c: ID!) { streamStatusChanged(channelId: $c) { kind } }",
        ["sha256:6"] = "query Update($input: UpdateStreamInput!) { me { id } }",
        ["sha256:7"] = "query Live($category: String, $n: Int) { liveChannels(first: $n, category: $category) { edges { cursor } } }",
    };

    [Fact]
    public void Queries_get_a_real_channel_for_their_required_names_and_ids_and_nothing_that_writes_is_sent()
    {
        var channel = Guid.NewGuid();
        var requests = WarmUpRequests.From(Documents, (channel, "alice")).ToDictionary(r => r.DocumentId, r => r.Variables);

        Assert.Equal(["sha256:1", "sha256:2", "sha256:3", "sha256:7"], requests.Keys.Order());
        Assert.Empty(requests["sha256:1"]);
        Assert.Equal("alice", requests["sha256:2"]["u"]);
        Assert.Equal(new Dictionary<string, object?> { ["c"] = channel, ["first"] = 20 }, requests["sha256:3"]);
        // Optional filters and cursors stay out, so the first page of everything is what warms up.
        Assert.Equal(new Dictionary<string, object?> { ["n"] = 20 }, requests["sha256:7"]);
    }

    [Fact]
    public void Without_any_channel_the_queries_that_need_one_are_left_out()
    {
        var requests = WarmUpRequests.From(Documents, null).Select(r => r.DocumentId).Order();
        Assert.Equal(["sha256:1", "sha256:7"], requests);
    }
}
