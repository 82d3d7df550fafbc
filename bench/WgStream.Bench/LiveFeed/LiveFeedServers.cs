using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// The servers under test, as child processes on a throwaway database: one Api with its co-hosted
/// silo, or (several nodes) one standalone silo clustered through Redis and that many Api nodes as
/// its clients, as chat-fanout runs them. Also the few setup calls the scenarios need.
/// </summary>
public sealed class LiveFeedServers : IAsyncDisposable
{
    private readonly List<ApiProcess> processes;
    private readonly HttpClient http;

    private LiveFeedServers(TestDatabase database, List<ApiProcess> processes, List<ApiProcess> apis, string ingestSecret)
    {
        Database = database;
        this.processes = processes;
        Apis = apis;
        IngestSecret = ingestSecret;
        http = new HttpClient { BaseAddress = apis[0].BaseAddress };
    }

    /// <summary>The runtime's switch for running socket continuations on its epoll threads (only "1" turns it on).</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public TestDatabase Database { get; }

    public IReadOnlyList<ApiProcess> Apis { get; }

    public string IngestSecret { get; }

    /// <summary>Every server process: silo (if separate) and Api nodes.</summary>
    public IReadOnlyList<int> Pids => processes.Select(p => p.ProcessId ?? throw new InvalidOperationException("A server process is not running.")).ToArray();

    /// <summary>Stops an Api node (SIGTERM) and starts a new process on the same port, as a deploy would.</summary>
    public async Task RestartApiAsync(int node)
    {
        await Apis[node].StopAsync();
        await Apis[node].StartAsync();
    }

    /// <param name="extra">Settings on top of the benchmark's own (an A/B switch), for every server process.</param>
    public static async Task<LiveFeedServers> StartAsync(int apiNodes, IReadOnlyDictionary<string, string>? extra = null)
    {
        var database = await TestDatabase.CreateAsync();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var settings = BenchServerSettings.For(database.ConnectionString);
        settings["WG_Streams__IngestSecret"] = secret;
        settings["WG_Streams__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // Children inherit the load generator's environment: the servers run with the default.
        settings[InlineCompletionsVariable] = "0";
        // The web root `./wg run` serves (dotnet run from Api/): the web client and its persisted documents.
        settings["ASPNETCORE_WEBROOT"] = Path.Combine(WgStream.Tests.Infrastructure.RepoPaths.Root, "Api", "wwwroot");
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var processes = new List<ApiProcess>();
        var apis = new List<ApiProcess>();
        try
        {
            if (apiNodes > 1)
            {
                settings["WG_Cluster__Clustering"] = "Redis";
                settings["WG_Cluster__ClusterId"] = $"bench-{Guid.NewGuid():N}";
                processes.Add(ApiProcess.Silo(settings));
                await processes[0].StartAsync();
                settings["WG_Cluster__ApiMode"] = "Client";
            }

            for (var i = 0; i < apiNodes; i++)
            {
                var node = new ApiProcess(settings);
                processes.Add(node);
                await node.StartAsync();
                // As a load balancer would: no traffic before /readyz, so the node's own warm-up
                // (up to Hosting:WarmUp:MaxDuration of CPU) is not counted against the scenario.
                await node.WaitReadyAsync(TimeSpan.FromMinutes(2));
                apis.Add(node);
            }
        }
        catch
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            await database.DisposeAsync();
            throw;
        }

        return new LiveFeedServers(database, processes, apis, secret);
    }

    public IPEndPoint Endpoint(int node) => new(IPAddress.Loopback, Apis[node % Apis.Count].Port);

    /// <summary>The first exception line the servers logged (they log at Error level here), to say what an INTERNAL error was.</summary>
    public string? FirstLoggedException() =>
        processes.SelectMany(p => p.Output.Split('\n')).Select(l => l.Trim()).FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal));

    public long CpuTicks() => ServerProcessStats.CpuTicks(Pids);

    public long RssKiB() => ServerProcessStats.RssKiB(Pids);

    public Task<(Guid Id, string Token)> RegisterAsync(string name) => BenchAccounts.RegisterAsync(http, name);

    public async Task<string> StreamKeyAsync(string token) =>
        (await GraphQLAsync(token, "{ streamSettings { streamKey } }", null)).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;

    /// <summary>nginx-rtmp's on_publish callback, as nginx would post it when an encoder starts with this key.</summary>
    public async Task<int> PublishAsync(string streamKey)
    {
        using var ingest = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http.BaseAddress };
        var form = new Dictionary<string, string> { ["app"] = "live", ["name"] = streamKey, ["clientid"] = "1", ["tcurl"] = "rtmp://bench/live", ["call"] = "publish" };
        using var response = await ingest.PostAsync($"/ingest/rtmp/publish?secret={IngestSecret}", new FormUrlEncodedContent(form));
        return (int)response.StatusCode;
    }

    /// <summary>nginx-rtmp's on_publish_done for the encoder that <see cref="PublishAsync"/> started: the broadcast ends.</summary>
    public async Task<int> PublishDoneAsync(string streamKey)
    {
        using var ingest = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http.BaseAddress };
        var form = new Dictionary<string, string> { ["app"] = "live", ["name"] = streamKey, ["clientid"] = "1", ["tcurl"] = "rtmp://bench/live", ["call"] = "publish_done" };
        using var response = await ingest.PostAsync($"/ingest/rtmp/publish-done?secret={IngestSecret}", new FormUrlEncodedContent(form));
        return (int)response.StatusCode;
    }

    /// <summary>nginx-rtmp's on_update for the encoder that <see cref="PublishAsync"/> started (client 1): it is still publishing.</summary>
    public async Task<int> HeartbeatAsync(string streamKey)
    {
        using var ingest = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http.BaseAddress };
        var form = new Dictionary<string, string> { ["app"] = "live", ["name"] = streamKey, ["clientid"] = "1", ["tcurl"] = "rtmp://bench/live", ["call"] = "update_publish" };
        using var response = await ingest.PostAsync($"/ingest/rtmp/update?secret={IngestSecret}", new FormUrlEncodedContent(form));
        return (int)response.StatusCode;
    }

    /// <summary>Chat messages the room has stored: the server's own count of what it accepted (stored before it is fanned out).</summary>
    public async Task<long> StoredMessagesAsync(Guid channelId)
    {
        await using var command = Database.DataSource.CreateCommand("SELECT count(*) FROM chat_messages WHERE channel_id = @c");
        command.Parameters.AddWithValue("c", channelId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Rows inserted, updated or deleted in the bench database so far, as the statistics collector
    /// has them. Backends report at most once a second while busy and within 10 s once idle, so a
    /// caller that wants every write counted waits that long after the writes stopped.
    /// </summary>
    public async Task<long> RowsWrittenAsync()
    {
        await using var flush = Database.DataSource.CreateCommand("SELECT pg_stat_force_next_flush()");
        await flush.ExecuteNonQueryAsync();
        await using var command = Database.DataSource.CreateCommand("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint FROM pg_stat_user_tables");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        foreach (var process in Enumerable.Reverse(processes))
        {
            await process.DisposeAsync();
        }

        await Database.DisposeAsync();
    }

    /// <summary>One GraphQL request as <paramref name="token"/>'s session (or anonymous); its data, or an exception with the errors.</summary>
    public Task<JsonElement> QueryAsync(string? token, string query, object? variables = null) => GraphQLAsync(token, query, variables);

    private async Task<JsonElement> GraphQLAsync(string? token, string query, object? variables)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return root.TryGetProperty("errors", out var errors) ? throw new InvalidOperationException(errors.ToString()) : root.GetProperty("data").Clone();
    }
}
