using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;

namespace WgStream.Tests.Cluster;

/// <summary>
/// Scale-out shape: two standalone silos clustered through Redis and an Api node joining them as
/// an Orleans client. Accounts work through it, a revocation reaches the client's sockets, and
/// uploads are processed by the silos (the client node has no image processing of its own).
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class RedisClusterTests : IAsyncLifetime
{
    private readonly List<ApiProcess> silos = [];
    private TestDatabase database = null!;
    private SmtpSink mail = null!;
    private ApiProcess api = null!;
    private readonly string clusterId = $"redis-test-{Guid.NewGuid():N}";

    // The local media store shared by every node, as a deployment shares a volume (or uses S3).
    private readonly string mediaDirectory = Directory.CreateTempSubdirectory("wg-cluster-media-").FullName;

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
            ["WG_Media__LocalDirectory"] = mediaDirectory,
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
        Directory.Delete(mediaDirectory, recursive: true);

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
    public Task An_api_client_node_serves_accounts_from_redis_clustered_silos() => WithLogsAsync(AccountsAsync);

    private async Task AccountsAsync()
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

    [Fact]
    public Task An_api_client_node_has_uploads_processed_on_the_silos_and_unknown_logins_refused_there() => WithLogsAsync(UploadsAsync);

    private async Task UploadsAsync()
    {
        var client = new GraphQLClient(new HttpClient { BaseAddress = api.BaseAddress });
        var account = await client.RegisterAsync();
        using var http = new HttpClient { BaseAddress = api.BaseAddress };

        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png(800, 600)), "file", "upload.png" } };
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/media/avatar") { Content = form };
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);
        using var response = await http.SendAsync(upload);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        var url = JsonDocument.Parse(body).RootElement.GetProperty("urls").GetProperty("300").GetString()!;

        using var image = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/webp", image.Content.Headers.ContentType?.MediaType);
        var channel = (await client.DataAsync("query($u: String!) { channel(username: $u) { avatarUrl } }", new { u = account.Username })).GetProperty("channel");
        Assert.Equal(url, channel.GetProperty("avatarUrl").GetString());

        // A login naming no account is refused as a wrong password is, its time spent on a silo.
        (await client.SendAsync(
            "mutation($i: LoginInput!) { login(input: $i) { token } }",
            new { i = new { login = $"nobody{Guid.NewGuid():N}"[..20], password = "correct horse battery" } }))
            .AssertError("UNAUTHENTICATED");
    }

    /// <summary>
    /// A failure here is a failure somewhere in three processes; their logs go with it, since the
    /// CI output keeps only the test's message.
    /// </summary>
    private async Task WithLogsAsync(Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception e)
        {
            var logs = string.Join("\n", silos.Select((s, i) => $"--- silo {i}:\n{s.OutputTail()}").Prepend($"--- api:\n{api.OutputTail()}"));
            throw new InvalidOperationException($"{e.Message}\n{logs}", e);
        }
    }
}
