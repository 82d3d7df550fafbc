using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Cluster;

/// <summary>
/// Scale-out shape: two standalone silos clustered through Redis and an Api node joining them as
/// an Orleans client. Accounts work through it, and a revocation reaches the client's sockets.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class RedisClusterTests : IAsyncLifetime
{
    private readonly List<ApiProcess> silos = [];
    private TestDatabase database = null!;
    private SmtpSink mail = null!;
    private ApiProcess api = null!;
    private readonly string clusterId = $"redis-test-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        mail = new SmtpSink();
        var cluster = new Dictionary<string, string>
        {
            ["WG_Database__ConnectionString"] = database.ConnectionString,
            ["WG_Cluster__Clustering"] = "Redis",
            ["WG_Cluster__ClusterId"] = clusterId,
            ["WG_Mail__Host"] = "127.0.0.1",
            ["WG_Mail__Port"] = mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WG_Mail__Security"] = "None",
        };
        for (var i = 0; i < 2; i++)
        {
            var silo = ApiProcess.Silo(cluster);
            silos.Add(silo);
            await silo.StartAsync();
        }

        api = new ApiProcess(new Dictionary<string, string>(cluster) { ["WG_Cluster__ApiMode"] = "Client" });
        await api.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        foreach (var silo in silos)
        {
            await silo.DisposeAsync();
        }

        await mail.DisposeAsync();
        await database.DisposeAsync();

        // Leave Redis as we found it: the membership table of this throwaway cluster goes too.
        var redis = Environment.GetEnvironmentVariable("WG_Cluster__Redis") ?? "127.0.0.1:6379";
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis);
        var db = connection.GetDatabase();
        foreach (var server in connection.GetServers())
        {
            await foreach (var key in server.KeysAsync(pattern: $"*{clusterId}*"))
            {
                await db.KeyDeleteAsync(key);
            }
        }
    }

    [Fact]
    public async Task An_api_client_node_serves_accounts_from_redis_clustered_silos()
    {
        var client = new GraphQLClient(new HttpClient { BaseAddress = api.BaseAddress });
        var account = await client.RegisterAsync();
        Assert.NotNull(await mail.WaitForAsync(account.Email));

        var device = new GraphQLClient(new HttpClient { BaseAddress = api.BaseAddress });
        device.Token = (await device.DataAsync(
            "mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = account.Username, password = account.Password } }))
            .GetProperty("login").GetProperty("token").GetString();

        await using var ws = await WsTestClient.ConnectAsync(new Uri($"ws://127.0.0.1:{api.Port}/graphql"));
        await ws.InitAsync(device.Token);
        Assert.Equal(1, (await client.DataAsync("mutation { revokeOtherSessions }")).GetProperty("revokeOtherSessions").GetInt32());
        Assert.Equal(4403, await ws.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        (await device.SendAsync("{ me { id } }")).AssertError("UNAUTHENTICATED", System.Net.HttpStatusCode.Unauthorized);
    }
}
