using System.Net;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ObservabilityTests(ApiFixture fixture)
{
    [Fact]
    public async Task Readiness_reports_the_cluster_the_database_and_the_warm_up()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));

        // Ready once the node has warmed itself up (WarmUp; bounded by WarmUp:MaxDuration, 20 s).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var ready = await http.GetAsync("/readyz");
        while (ready.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            Assert.Contains("still warming up", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            await Task.Delay(200);
            ready = await http.GetAsync("/readyz");
        }

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ready", json.GetProperty("status").GetString());
        Assert.Equal("1 active silo(s)", json.GetProperty("checks").GetProperty("cluster").GetString());
        Assert.Equal("ok", json.GetProperty("checks").GetProperty("database").GetString());
        // This Api has no web root, so no persisted queries to warm up with (WebPersistedDocumentsTests has one).
        Assert.Equal("done, 0 requests", json.GetProperty("checks").GetProperty("warm-up").GetString());
    }

    [Fact]
    public async Task The_container_health_check_command_passes_against_a_running_api_and_fails_without_one()
    {
        Assert.Equal(0, await ProbeAsync(fixture.Api.BaseAddress.ToString()));
        Assert.Equal(1, await ProbeAsync($"http://127.0.0.1:{FreePort.Next()}"));
    }

    private static async Task<int> ProbeAsync(string urls)
    {
        var directory = Path.Combine(RepoPaths.Root, "Api", "bin", RepoPaths.Configuration, RepoPaths.Framework);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = directory, ArgumentList = { "WgStream.Api.dll", "healthcheck" } };
        start.Environment["ASPNETCORE_URLS"] = urls;
        using var probe = System.Diagnostics.Process.Start(start)!;
        await probe.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return probe.ExitCode;
    }

    [Fact]
    public async Task Prometheus_scrape_shows_our_counters_and_the_platforms()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        await client.DataAsync("mutation($c: ID!) { sendChatMessage(channelId: $c, text: \"counted\") { id } }", new { c = account.Id });
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync();

        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        string metrics = string.Empty;
        for (var attempt = 0; attempt < 20 && !metrics.Contains("wg_chat_messages_total", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(250);
            metrics = await http.GetStringAsync("/metrics");
        }

        Assert.Matches(@"wg_chat_messages_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Matches(@"wg_realtime_connections(\{[^}]*\})? [1-9]", metrics);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(account.Token, metrics, StringComparison.Ordinal);
    }
}
