using System.Diagnostics;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>Proves the transport against the reference client, the `graphql-ws` npm package, running in Node.</summary>
[Collection(ApiCollection.Name)]
public sealed class GraphQLWsNpmClientTests(ApiFixture fixture)
{
    [Fact]
    public async Task The_graphql_ws_client_receives_security_events_of_its_account()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();

        var script = Path.Combine(RepoPaths.Root, "tests", "js", "graphql-ws-client.mjs");
        var start = new ProcessStartInfo("node", script)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        start.Environment["WG_WS_URL"] = fixture.WebSocketUri.ToString();
        start.Environment["WG_TOKEN"] = account.Token;
        using var node = Process.Start(start)!;
        try
        {
            var ready = await ReadLineAsync(node);
            Assert.Equal(account.Username, ready.GetProperty("ready").GetProperty("username").GetString());

            var other = fixture.CreateClient();
            var login = await other.DataAsync(
                "mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Email, password = account.Password } });
            var sessionId = login.GetProperty("login").GetProperty("token").GetString()!.Split('.')[0];

            var received = await ReadLineAsync(node);
            var securityEvent = received.GetProperty("event");
            Assert.Equal("NEW_LOGIN", securityEvent.GetProperty("kind").GetString());
            Assert.Equal(sessionId, securityEvent.GetProperty("sessionId").GetString());
            await node.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            Assert.Equal(0, node.ExitCode);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill();
            }
        }
    }

    private static async Task<JsonElement> ReadLineAsync(Process node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await node.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            Assert.Fail($"node exited: {await node.StandardError.ReadToEndAsync()}");
        }

        var json = JsonDocument.Parse(line).RootElement.Clone();
        Assert.False(json.TryGetProperty("error", out var error), $"graphql-ws client failed: {error}");
        return json;
    }
}
