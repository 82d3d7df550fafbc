using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>Proves the transport against the reference client, the `graphql-ws` npm package, running in Node.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class GraphQLWsNpmClientTests(ApiFixture fixture)
{
    [Fact]
    public async Task The_graphql_ws_client_receives_security_events_of_its_account()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();

        using var node = NodeScript.Start("graphql-ws-client.mjs", new()
        {
            ["WG_WS_URL"] = fixture.WebSocketUri.ToString(),
            ["WG_TOKEN"] = account.Token,
        });
        var ready = await node.ReadAsync();
        Assert.Equal(account.Username, ready.GetProperty("ready").GetProperty("username").GetString());

        var other = fixture.CreateClient();
        var login = await other.DataAsync(
            "mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Email, password = account.Password } });
        var sessionId = login.GetProperty("login").GetProperty("token").GetString()!.Split('.')[0];

        var securityEvent = (await node.ReadAsync()).GetProperty("event");
        Assert.Equal("NEW_LOGIN", securityEvent.GetProperty("kind").GetString());
        Assert.Equal(sessionId, securityEvent.GetProperty("sessionId").GetString());
        Assert.Equal(0, await node.WaitForExitAsync());
    }
}
