using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>
/// GraphQL:ExecutionTimeout cuts a query short with TIMEOUT; a mutation runs to its end, because
/// its grain calls would go on after the answer and the client would be told a change failed that
/// then happened. The Api here allows one tick (100 ns), which any operation outlasts.
/// </summary>
[Collection(ExecutionTimeoutCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ExecutionTimeoutTests(ExecutionTimeoutFixture fixture)
{
    [Fact]
    public async Task A_query_over_the_timeout_is_TIMEOUT_and_a_mutation_is_not_cut_short()
    {
        // Signing up hashes the password twice, calls grains, writes and mails: far beyond the tick.
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        Assert.Equal("#1E90FF", (await client.DataAsync("mutation { updateChatColor(color: \"#1E90FF\") }")).GetProperty("updateChatColor").GetString());

        var read = await client.SendAsync("query($u: String!) { me { id } channel(username: $u) { id } }", new { u = account.Username });
        read.AssertError("TIMEOUT");
    }
}

/// <summary>An Api whose queries may run for one tick.</summary>
public sealed class ExecutionTimeoutFixture : ApiFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WG_GraphQL__ExecutionTimeout"] = "00:00:00.0000001",
        // Its queries would all time out.
        ["WG_WarmUp__Requests"] = "0",
    };
}

[CollectionDefinition(Name)]
public sealed class ExecutionTimeoutCollection : ICollectionFixture<ExecutionTimeoutFixture>
{
    public const string Name = "ExecutionTimeout";
}
